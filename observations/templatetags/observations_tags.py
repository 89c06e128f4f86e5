from django import template
from django.db.models import Count, Window
from django.template.loader import render_to_string
from django.utils import timezone

from asiakaskunto.access import visible_teams
from asiakaskunto.models import Role

from ..models import Checklist, ChecklistStatus, MysteryPlan, MysteryTest, PlanStatus

register = template.Library()

PANEL_ROWS = 5


def first_rows(queryset, limit: int) -> tuple[int, list]:
    """How many rows the queryset has and its first ``limit``, in one query (a window count)."""
    rows = list(queryset.annotate(total_rows=Window(Count("pk")))[:limit])
    return (rows[0].total_rows if rows else 0), rows


@register.inclusion_tag("observations/_home_panel.html", takes_context=True)
def observations_home_panel(context):
    """This app's panel on the home page: a manager's drafts and upcoming or overdue mystery
    visits of their teams; leadership's counts this month and the tests waiting for review."""
    request = context["request"]
    role = context.get("user_role")
    panel = {"request": request, "user_role": role}
    now = timezone.now()
    if role == Role.LEADERSHIP:  # a manager's are on their to-do list (coaching.todo)
        waiting = (
            MysteryTest.objects.for_teams(visible_teams(request.user))
            .waiting_for_review()
            .select_related("plan__team", "salesperson")
            .order_by("visited_at", "id")
        )
        panel["waiting_count"], panel["waiting"] = first_rows(waiting, PANEL_ROWS)
    if role == Role.MANAGER:
        drafts = Checklist.objects.drafts_of(request.user).select_related("salesperson")
        plans = MysteryPlan.objects.for_teams(visible_teams(request.user)).select_related(
            "team", "salesperson"
        )
        panel.update(
            drafts=list(drafts.order_by("-updated_at", "-id")[:PANEL_ROWS]),
            upcoming=list(
                plans.with_status(PlanStatus.PLANNED, now=now).order_by("window_end_date", "id")[
                    :PANEL_ROWS
                ]
            ),
        )
        panel["overdue_count"], panel["overdue"] = first_rows(
            plans.overdue(now=now).select_related("schedule").order_by("-window_end_date", "-id"),
            PANEL_ROWS,
        )
    elif role == Role.LEADERSHIP:
        teams = visible_teams(request.user)
        local = timezone.localtime(now)
        month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        panel.update(
            month_start=month_start,
            checklists_this_month=Checklist.objects.filter(
                salesperson__team__in=teams,
                status=ChecklistStatus.SUBMITTED,
                observed_at__gte=month_start,
            ).count(),
            tests_this_month=MysteryTest.objects.filter(
                plan__team__in=teams, visited_at__gte=month_start
            ).count(),
            planned_now=MysteryPlan.objects.for_teams(teams)
            .with_status(PlanStatus.PLANNED, now=now)
            .count(),
        )
    return panel


@register.inclusion_tag("observations/_overdue_visits.html")
def observations_overdue_panel(team):
    """The team's mystery-shop visits whose window passed without a test (scheduled or
    planned by hand), oldest first, for the team dashboard: two queries."""
    from reports.dashboards import overdue_mystery_visits

    count, visits = overdue_mystery_visits(team, now=timezone.now())
    return {"overdue_count": count, "overdue_visits": visits}


def _widget(field, css):
    classes = css + (" is-invalid" if field.errors else "")
    return field.as_widget(attrs={"class": classes})


@register.simple_tag
def formfield(field, css="form-control"):
    """The field's widget with Bootstrap classes (and is-invalid when it has errors)."""
    return _widget(field, css)


@register.simple_tag
def formrow(field, css="form-control"):
    """Label, widget, help text and errors of one field, one column."""
    return render_to_string(
        "observations/_field.html", {"field": field, "widget": _widget(field, css)}
    )


@register.filter
def person_name(user):
    """A user's full name, their username, or a dash when the account is gone."""
    if user is None:
        return "—"
    return user.get_full_name() or user.username
