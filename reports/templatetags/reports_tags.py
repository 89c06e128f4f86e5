from django import template
from django.utils.html import format_html, json_script
from django.utils.safestring import mark_safe

from asiakaskunto.access import organisation_of, visible_teams
from asiakaskunto.models import Role

from .. import pages

register = template.Library()


@register.filter
def chart_script(figure, element_id):
    """``json_script`` of a chart's figure; a figure shaped with its JSON made once
    (``reports.pages.Figure``) is not serialised again on every page view."""
    body = getattr(figure, "json", None)
    if body is None:
        return json_script(figure, element_id)
    return format_html(
        '<script id="{}" type="application/json">{}</script>', element_id, mark_safe(body)
    )


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
