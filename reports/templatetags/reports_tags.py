from django import template

register = template.Library()


@register.inclusion_tag("reports/_home_panel.html", takes_context=True)
def reports_home_panel(context):
    """This app's panel on the home page of the current user's role."""
    return {"request": context["request"], "user_role": context.get("user_role")}
