from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string

from asiakaskunto.access import get_salesperson_for_user

from ..pages import person_page


@login_required
def person(request, pk):
    """A salesperson's own page: level, index, areas, trend, targets and the customers' voice.
    The person themself, their managers and leadership see it; anyone else gets a 404."""
    salesperson = get_salesperson_for_user(request, pk)
    context = person_page(salesperson)
    # The charts' text alternatives, handed to reports/_chart.html as HTML.
    context["radar_table"] = render_to_string("reports/person_radar_table.html", context, request)
    context["trend_table"] = render_to_string("reports/person_trend_table.html", context, request)
    return render(request, "reports/person.html", context)
