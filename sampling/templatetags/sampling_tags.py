from django import template
from django.utils import timezone

from ..rates import RATE_DAYS, team_rates

register = template.Library()


@register.inclusion_tag("sampling/_team_rates.html")
def response_rates_panel(team):
    """The team dashboard's response rates over the last RATE_DAYS days: each salesperson's
    invitations (sent, opened, answered) and standing link (views, answers), and the team link
    (five queries, whatever the team's size). The dashboard has checked who may see the team."""
    return {"team": team, "days": RATE_DAYS, "rates": team_rates(team, today=timezone.localdate())}
