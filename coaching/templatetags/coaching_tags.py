from django import template
from django.utils import timezone

from asiakaskunto.access import coached_salespeople
from asiakaskunto.models import Method, Role

from ..models import CoachingPlan, PlanStatus
from ..todo import TodoKind, todo_for

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
    own_plan = None
    if role == Role.SALESPERSON and not items:
        own_plan = (
            CoachingPlan.objects.filter(salesperson__user=request.user, status=PlanStatus.OPEN)
            .values_list("pk", flat=True)
            .first()
        )
    # Unhappy customers have their own panel: the oldest few here, the rest behind a link.
    follow_ups = [item for item in items if item.kind == TodoKind.FOLLOW_UP]
    items = [item for item in items if item.kind != TodoKind.FOLLOW_UP or item in follow_ups[:3]]
    return {
        "more_follow_ups": max(len(follow_ups) - 3, 0),
        "own_plan": own_plan,
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


@register.inclusion_tag("coaching/_team_panel.html", takes_context=True)
def coaching_team_panel(context, team):
    """On a team's page: the members with development targets now and their coaching plans,
    with a start button for the team's manager (a fixed number of queries)."""
    from reports.dashboards import area_label
    from reports.results_cache import team_people

    request = context["request"]
    organisation = context.get("organisation") or team.organisation
    targets = {
        pk: result.targets
        for pk, result in team_people(organisation, team.pk).items()
        if result.team == team.pk and result.targets
    }
    plans = dict(
        CoachingPlan.objects.filter(salesperson__team=team, status=PlanStatus.OPEN).values_list(
            "salesperson_id", "pk"
        )
    )
    people = list(
        team.members.filter(active=True, pk__in=set(targets) | set(plans)).order_by("name", "id")
    )
    coach = set(coached_salespeople(request.user).filter(team=team).values_list("pk", flat=True))
    rows = [
        {
            "person": person,
            "areas": [area_label(t.area) for t in targets.get(person.pk, [])],
            "plan": plans.get(person.pk),
            "may_start": person.pk in coach and person.pk not in plans,
        }
        for person in people
    ]
    return {"rows": rows}
