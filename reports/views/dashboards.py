"""The leadership dashboard (/reports/) and a team's dashboard (/reports/teams/<pk>/): the
filters from the query string, who may see what, and the page of people; the figures come
from ``reports.pages`` (a bounded number of queries, whatever the number of salespeople).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from asiakaskunto.access import (
    get_team_for_user,
    leadership_required,
    manager_or_leadership_required,
    organisation_of,
    role_of,
    visible_teams,
)
from asiakaskunto.models import Level, Method, Role

from .. import dashboards as D
from .. import pages
from ..comments import comments_for_team
from ..scoring import add_months
from ..services import save_scoring_settings, scoring_settings_for

REASON_LABELS = {
    "FEW_CUSTOMER_SURVEYS": gettext_lazy("too few customer surveys"),
    "FEW_METHODS": gettext_lazy("evidence from too few methods"),
    "NO_SCORED_ANSWERS": gettext_lazy("no scored answers"),
}
MONTHS_TO_CHOOSE = 36


def _month_choices(today: date) -> list[tuple[str, str]]:
    current = D.first_of_month(today)
    choices = [("", _("This month (now)"))]
    for back in range(1, MONTHS_TO_CHOOSE):
        month = add_months(current, -back)
        choices.append((f"{month:%Y-%m}", f"{month:%m/%Y}"))
    return choices


class DashboardFilterForm(forms.Form):
    """The dashboards' filters, from the query string; an invalid value falls back to its
    default with a message."""

    month = forms.ChoiceField(label=gettext_lazy("Month"), required=False)
    months = forms.TypedChoiceField(
        label=gettext_lazy("Trend"),
        choices=[(n, n) for n in D.TREND_LENGTHS],  # labelled per request in __init__
        coerce=int,
        required=False,
        empty_value=D.DEFAULT_TREND_LENGTH,
    )
    # Checkboxes: a multiple select needs Ctrl-click on a computer and is clumsy on a phone.
    teams = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Teams"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    method = forms.ChoiceField(
        label=gettext_lazy("Method"),
        choices=[("", gettext_lazy("All methods")), *Method.choices],
        required=False,
    )

    def __init__(self, data, *, teams, today: date):
        # The trend length shown in its select must be the one the charts plot: without a
        # (valid) value in the query, the select would show its first option (6 months) while
        # the charts plot the default. So the form always holds the length used.
        data = data.copy() if data is not None else QueryDict(mutable=True)
        raw_months = data.get("months", "")
        self.invalid_months = raw_months not in ("", *(str(n) for n in D.TREND_LENGTHS))
        if raw_months == "" or self.invalid_months:
            data["months"] = str(D.DEFAULT_TREND_LENGTH)
        super().__init__(data)
        self.fields["month"].choices = _month_choices(today)
        # Labelled here, in the request's language: a label made at import time stays in the
        # language active then ("6 kuukautta" on English pages).
        self.fields["months"].choices = [
            (n, ngettext("%(n)s month", "%(n)s months", n) % {"n": n}) for n in D.TREND_LENGTHS
        ]
        self.fields["teams"].choices = [(team.pk, team.name) for team in teams]
        for name, field in self.fields.items():
            if name != "teams":
                field.widget.attrs["class"] = "form-select"
            field.widget.attrs["data-testid"] = f"filter-{name}"
        self._raw_months = raw_months

    def clean(self):
        cleaned = super().clean()
        if self.invalid_months:
            self.add_error(
                "months",
                self.fields["months"].error_messages["invalid_choice"]
                % {"value": self._raw_months},
            )
        return cleaned

    def value(self, name):
        if name not in self.errors:
            return self.cleaned_data.get(name)
        return None

    @property
    def chosen_month(self) -> date | None:
        value = self.value("month")
        if not value:
            return None
        year, month = value.split("-")
        return date(int(year), int(month), 1)

    @property
    def trend_length(self) -> int:
        return self.value("months") or D.DEFAULT_TREND_LENGTH

    @property
    def team_ids(self) -> list[int]:
        return self.value("teams") or []

    @property
    def chosen_method(self) -> str | None:
        return self.value("method") or None


def _filters(form: DashboardFilterForm) -> dict:
    return {
        "month": form.chosen_month,
        "trend_length": form.trend_length,
        "method": form.chosen_method,
    }


class TargetLevelForm(forms.Form):
    target_level = forms.ChoiceField(label=gettext_lazy("Target level"), choices=Level.choices)


def _people_table(request, summaries, salespeople) -> dict:
    """The sortable, paginated table of salespeople (rows only for the page shown)."""
    rows = D.person_rows(summaries, salespeople, reason_labels=REASON_LABELS)
    sort = D.parse_sort(request.GET.get("sort"))
    page = Paginator(D.sort_rows(rows, sort), D.PAGE_SIZE).get_page(request.GET.get("page"))
    keep = request.GET.copy()
    for name in ("sort", "page"):
        keep.pop(name, None)
    base = keep.urlencode()
    columns = []
    for key, label in (
        ("name", _("Name")),
        ("team", _("Team")),
        ("level", _("Level")),
        ("index", _("Index")),
        ("gap", _("Gap to target")),
        ("n", _("Evidence (n)")),
    ):
        current = sort.lstrip("-") == key
        descending = sort.startswith("-")
        # The first click sorts numbers from the largest, words from A.
        first = f"-{key}" if key in ("index", "gap", "n") else key
        target = (key if descending else f"-{key}") if current else first
        columns.append(
            {
                "key": key,
                "label": label,
                "url": "?" + "&".join(p for p in (base, urlencode({"sort": target})) if p),
                "aria_sort": ("descending" if descending else "ascending") if current else "",
                "numeric": key in ("index", "gap", "n"),
            }
        )
    sort_query = "&".join(p for p in (base, urlencode({"sort": sort})) if p)
    return {
        "page": page,
        "columns": columns,
        "page_query": sort_query,
        "total": len(rows),
    }


@manager_or_leadership_required
def dashboard(request):
    """Leadership's view of the whole organisation (or the teams chosen in the filter); a
    manager sees the same restricted to their teams, or goes to their one team's page."""
    organisation = organisation_of(request.user)
    leadership = role_of(request.user) == Role.LEADERSHIP
    teams = list(visible_teams(request.user).order_by("name", "id"))
    if not leadership and len(teams) == 1:
        query = request.GET.copy()
        query.pop("teams", None)
        url = reverse("reports:team_dashboard", args=[teams[0].pk])
        return HttpResponseRedirect(f"{url}?{query.urlencode()}" if query else url)
    form = DashboardFilterForm(request.GET, teams=teams, today=timezone.localdate())
    chosen = form.team_ids
    if chosen:
        team_ids = [t.pk for t in teams if t.pk in set(chosen)]
    else:
        team_ids = None if leadership else [t.pk for t in teams]
    selected = [(t.pk, t.name) for t in teams if team_ids is None or t.pk in team_ids]
    context = pages.dashboard(
        organisation,
        **_filters(form),
        team_ids=team_ids,
        selected_teams=selected,
        leadership=leadership,
    )
    summaries = context["summaries"]
    context.update(
        organisation=organisation,
        form=form,
        leadership=leadership,
        teams=teams,
        people=_people_table(
            request, summaries, pages.salespeople(organisation, team_ids, summaries)
        ),
        whole_organisation=team_ids is None,
        target_form=TargetLevelForm(initial={"target_level": context["target_level"]}),
    )
    return render(request, "reports/dashboard.html", context)


@manager_or_leadership_required
def team_dashboard(request, pk):
    """One team: its headline, members' levels, trend, area scores against the target floor,
    development targets, members, open follow-ups (overdue mystery-shop visits: the template's
    ``observations_overdue_panel``)."""
    team = get_team_for_user(request, pk)
    organisation = organisation_of(request.user)
    leadership = role_of(request.user) == Role.LEADERSHIP
    form = DashboardFilterForm(request.GET, teams=[], today=timezone.localdate())
    context = pages.dashboard(
        organisation,
        **_filters(form),
        team_ids=[team.pk],
        selected_teams=[(team.pk, team.name)],
        leadership=leadership,
        team=team,
    )
    summaries = context["summaries"]
    follow_up_count, follow_ups = D.open_follow_ups(team)
    context.update(
        organisation=organisation,
        form=form,
        leadership=leadership,
        team=team,
        people=_people_table(
            request, summaries, pages.salespeople(organisation, [team.pk], summaries)
        ),
        follow_up_count=follow_up_count,
        follow_ups=follow_ups,
        comments=comments_for_team(team),
        show_salesperson=True,
    )
    return render(request, "reports/team_dashboard.html", context)


@require_POST
@leadership_required
def set_target_level(request):
    """Leadership chooses the organisation's target level on the dashboard."""
    organisation = organisation_of(request.user)
    form = TargetLevelForm(request.POST)
    if form.is_valid():
        current = scoring_settings_for(organisation)
        level = form.cleaned_data["target_level"]
        save_scoring_settings(organisation, replace(current, target_level=level), user=request.user)
        messages.success(
            request, _("Target level set to %(level)s.") % {"level": D.level_label(level)}
        )
    else:
        messages.error(request, _("Choose one of the target levels."))
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("reports:dashboard")
