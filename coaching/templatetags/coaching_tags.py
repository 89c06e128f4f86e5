from django import template
from django.utils import timezone

from asiakaskunto.access import coached_salespeople
from asiakaskunto.models import Method, Role

from ..models import CoachingPlan, PlanStatus
from ..todo import todo_for

register = template.Library()

TODO_SHOWN = 12


@register.filter
def method_label(code: str) -> str:
    return str(Method(code).label)


@register.inclusion_tag("coaching/_home_panel.html", takes_context=True)
def coaching_home_panel(context):
    """The to-do list on a manager's or a salesperson's home page; leadership's seasons link."""
    request = context["request"]
    role = context.get("user_role")
    items = todo_for(request.user, as_of=None) if role in (Role.MANAGER, Role.SALESPERSON) else []
    return {
        "request": request,
        "user_role": role,
        "items": items[:TODO_SHOWN],
        "more": max(len(items) - TODO_SHOWN, 0),
        "is_leadership": role == Role.LEADERSHIP,
    }


@register.inclusion_tag("coaching/_person_link.html", takes_context=True)
def coaching_plan_link(context, salesperson):
    """On a salesperson's page: their open plan, or (for their manager) a start button."""
    request = context["request"]
    plan = (
        CoachingPlan.objects.filter(salesperson=salesperson, status=PlanStatus.OPEN)
        .only("pk", "salesperson_id", "started_at")
        .first()
    )
    may_start = (
        plan is None and coached_salespeople(request.user).filter(pk=salesperson.pk).exists()
    )
    return {"plan": plan, "may_start": may_start, "salesperson": salesperson}


@register.simple_tag
def today():
    return timezone.localdate()
