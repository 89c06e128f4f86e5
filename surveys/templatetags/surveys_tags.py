from django import template

from asiakaskunto.models import Role

register = template.Library()

LATEST_SHOWN = 5


@register.inclusion_tag("surveys/_home_panel.html", takes_context=True)
def surveys_home_panel(context):
    """Managers and leadership: the open follow-ups (count and the latest few with the
    answers that opened them, three queries)."""
    from ..services import with_unhappy_answers
    from ..views.staff import open_follow_ups

    request = context["request"]
    role = context.get("user_role")
    if role not in (Role.MANAGER, Role.LEADERSHIP):
        return {"show": False}
    follow_ups = open_follow_ups(request.user)
    return {
        "show": True,
        "request": request,
        "open_count": follow_ups.count(),
        "latest": with_unhappy_answers(
            follow_ups.select_related("team", "salesperson").order_by("-answered_at", "-id")[
                :LATEST_SHOWN
            ]
        ),
    }
