from django import template

from asiakaskunto.access import organisation_of, visible_teams
from asiakaskunto.models import Role

from .. import pages

register = template.Library()


@register.inclusion_tag("reports/_home_panel.html", takes_context=True)
def reports_home_panel(context):
    """This app's panel on the home page: leadership's headline figures, a manager's teams'
    standing (the stored results as of now, ``reports.pages``; a fixed number of queries)."""
    request = context["request"]
    role = context.get("user_role")
    panel = {"request": request, "user_role": role}
    organisation = organisation_of(request.user)
    if organisation is None:
        return panel
    if role == Role.SALESPERSON:
        salesperson = context.get("salesperson")
        if salesperson is not None:
            panel.update(pages.own_summary(salesperson))
        return panel
    if role != Role.LEADERSHIP and role != Role.MANAGER:
        return panel
    if role == Role.LEADERSHIP:
        panel.update(pages.home_leadership(organisation))
    else:
        teams = visible_teams(request.user).order_by("name", "id").values_list("pk", "name")
        panel.update(pages.home_manager(organisation, list(teams)))
    return panel
