from django import template

from asiakaskunto.access import organisation_of, visible_teams
from asiakaskunto.models import Role

from .. import dashboards as D
from .. import person as P
from ..scoring import NOT_ENOUGH_DATA
from ..services import grades_for, scoring_settings_for

register = template.Library()


@register.inclusion_tag("reports/_home_panel.html", takes_context=True)
def reports_home_panel(context):
    """This app's panel on the home page: leadership's headline figures, a manager's teams'
    standing (the engine's cached grades as of now; a fixed number of queries)."""
    request = context["request"]
    role = context.get("user_role")
    panel = {"request": request, "user_role": role}
    organisation = organisation_of(request.user)
    if organisation is None:
        return panel
    if role == Role.SALESPERSON:
        salesperson = context.get("salesperson")
        if salesperson is not None:
            panel.update(_own_summary(salesperson, organisation))
        return panel
    if role != Role.LEADERSHIP and role != Role.MANAGER:
        return panel
    scoring = scoring_settings_for(organisation)
    grades = grades_for(organisation)
    panel["target_label"] = D.level_label(scoring.target_level)
    panel["min_n"] = scoring.min_n_for_metrics
    if role == Role.LEADERSHIP:
        figures = D.figures_of([grades.organisation], min_n=scoring.min_n_for_metrics)
        panel["cards"] = D.headline_cards(figures, None)
    else:
        teams = visible_teams(request.user).order_by("name", "id").values_list("pk", "name")
        panel["team_rows"] = D.team_rows(grades, list(teams))
    return panel


def _own_summary(salesperson, organisation) -> dict:
    """A salesperson's own standing as of now: level, index against the target, what to train."""
    scoring = scoring_settings_for(organisation)
    result = grades_for(organisation).people.get(salesperson.pk)
    level = result.level if result else NOT_ENOUGH_DATA
    return {
        "own": {
            "salesperson": salesperson,
            "level": level,
            "level_text": P.level_label(level),
            "provisional": bool(result and result.provisional),
            "reasons": P.reason_texts(P.reasons_of(result, scoring))
            if level == NOT_ENOUGH_DATA
            else [],
            "index": P.index_view(result, scoring),
            "targets": [P.area_label(t.area) for t in (result.targets if result else [])],
        }
    }
