"""The leadership dashboard (/reports/) and a team's dashboard (/reports/teams/<pk>/).

Both read the engine's cached results (``grades_for`` now and at the previous period's end,
``trend_for`` by month) plus one query per kind of name (teams, salespeople, questions), so the
number of queries does not grow with the number of salespeople or teams.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asiakaskunto.access import (
    get_team_for_user,
    leadership_required,
    manager_or_leadership_required,
    organisation_of,
    role_of,
    visible_teams,
)
from asiakaskunto.models import Level, Method, Question, Role, Salesperson
from surveys.praise import praise_counts

from .. import charts
from .. import dashboards as D
from ..comments import comments_for_team
from ..scoring import AREAS, LEVELS, add_months
from ..services import (
    grades_for,
    kept_result,
    save_scoring_settings,
    scores_version,
    scoring_settings_for,
    shared_read,
    trend_for,
)

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


class TargetLevelForm(forms.Form):
    target_level = forms.ChoiceField(label=gettext_lazy("Target level"), choices=Level.choices)


def _table(caption: str, headers: list[str], rows: list[list]) -> str:
    """The text alternative of a chart (``table`` of reports/_chart.html)."""
    return render_to_string(
        "reports/dashboard_table.html", {"caption": caption, "headers": headers, "rows": rows}
    )


def _pct(share: float | None) -> float | None:
    return D.rounded(share * 100) if share is not None else None


def _questions_of(targets) -> dict[str, Question]:
    """{code: Question} of the development targets' questions: people read their wording (the
    chart its short form, the table the whole), never the code."""
    codes = {q.question for t in targets for q in t.questions}
    if not codes:
        return {}
    return {
        question.code: question
        for question in Question.objects.filter(code__in=codes).only(
            "code", "text_fi", "text_en", "text_sv"
        )
    }


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


def _salespeople(organisation, team_ids: list[int] | None, graded) -> list:
    """(pk, name, team name) of the active salespeople of the teams (all: None), and of anyone
    else the engine graded in them, in one query."""
    queryset = Salesperson.objects.filter(organisation=organisation)
    if team_ids is not None:
        queryset = queryset.filter(team__in=team_ids)
    return [
        (pk, name, team)
        for pk, name, team, active in queryset.values_list("pk", "name", "team__name", "active")
        if D.is_listed(active=active, pk=pk, graded=graded)
    ]


def _level_table(rows) -> str:
    return _table(
        _("Salespeople by level"),
        [_("Team"), *[D.level_label(code) for code in LEVELS]],
        [[row.name, *[row.counts[code] for code in LEVELS]] for row in rows],
    )


def _heatmap_table(rows) -> str:
    return _table(
        _("Area scores by team"),
        [_("Team"), *[D.area_label(a) for a in AREAS]],
        [[row.name, *[row.areas[a] for a in AREAS]] for row in rows],
    )


def _shape(organisation, *, period, method, team_ids, selected_teams, leadership, team):
    """Everything a dashboard shows except the salespeople's names: the engine's results for
    the chosen teams (``team_ids`` None: the organisation) as cards, charts and their tables.
    ``team``: the team of a team page (None on the leadership dashboard)."""
    scoring = scoring_settings_for(organisation)
    floor = scoring.levels[scoring.target_level].no_area_below
    min_n = scoring.min_n_for_metrics
    # What is not cached yet comes from one read of the answers, not three.
    with shared_read(
        organisation,
        as_of=[period.as_of, period.previous_as_of],
        trend_months=(period.trend_start, period.trend_end),
        method=method,
    ):
        grades = grades_for(organisation, as_of=period.as_of, method=method)
        previous = grades_for(organisation, as_of=period.previous_as_of, method=method)
        trend = trend_for(
            organisation, start=period.trend_start, end=period.trend_end, method=method
        )

    def figures(g):
        if team_ids is None:
            return D.figures_of([g.organisation], min_n=min_n)
        return D.figures_of([g.teams[t] for t in team_ids if t in g.teams], min_n=min_n)

    current_figures = figures(grades)
    chosen = set(team_ids) if team_ids is not None else None
    people = [p for p in grades.people.values() if chosen is None or p.team in chosen]
    targets = D.development_targets(people)
    questions = _questions_of(targets)
    question_labels = {code: q.short_text for code, q in questions.items()}
    names = dict(selected_teams)
    trend_months = trend.months

    def series(column, n_column=None):
        out = D.trend_series(
            trend.teams,
            months=trend_months,
            column=column,
            n_column=n_column,
            min_n=min_n,
            key="team",
            names=names,
        )
        if leadership:
            out += D.trend_series(
                trend.organisation,
                months=trend_months,
                column=column,
                n_column=n_column,
                min_n=min_n,
                name=_("Organisation"),
                benchmark=True,
            )
        return out

    index_series = series("index")
    nps_series = series("nps", "nps_n")
    month_labels = [f"{m:%m/%Y}" for m in trend_months]

    def trend_table(caption, lines):
        return _table(
            caption,
            [_("Month"), *[s.name for s in lines]],
            [[label, *[s.values[i] for s in lines]] for i, label in enumerate(month_labels)],
        )

    target_rows = []
    for t in targets:
        target_rows.append([D.area_label(t.area), t.people])
        for q in t.questions:
            question = questions.get(q.question)
            target_rows.append(["· " + (question.text if question else q.question), q.people])

    data = {
        "window_days": scoring.window_days,
        "floor": floor,
        "target_level": scoring.target_level,
        "target_label": D.level_label(scoring.target_level),
        "period": period,
        "method": method,
        "method_label": str(Method(method).label) if method else "",
        "figures": current_figures,
        "cards": D.headline_cards(current_figures, figures(previous)),
        "min_n": min_n,
        "targets": targets,
        "index_chart": charts.trend_lines(
            trend_months, index_series, y_title=_("Fitness index"), y_range=(0, 100)
        ),
        "index_table": trend_table(_("Fitness index by month"), index_series),
        "nps_chart": charts.trend_lines(
            trend_months, nps_series, y_title=_("NPS"), y_range=(-100, 100)
        ),
        "nps_table": trend_table(_("NPS by month"), nps_series),
        "targets_chart": charts.development_targets(targets, question_labels),
        "targets_table": _table(
            _("Salespeople below the target floor"),
            [_("Area or question"), _("Salespeople")],
            target_rows,
        ),
        "summaries": D.person_summaries(grades.people.values()),
    }
    if team is None:
        rows = D.team_rows(grades, selected_teams)
        data.update(
            team_rows=rows,
            levels_chart=charts.level_distribution(rows),
            levels_table=_level_table(rows),
            heatmap_chart=charts.team_area_heatmap(rows, floor=floor),
            heatmap_table=_heatmap_table(rows),
        )
        return data
    (row,) = D.team_rows(grades, [(team.pk, team.name)])
    benchmark = None
    if leadership:
        org_areas = grades.organisation.areas
        benchmark = {a: D.rounded(org_areas[a].score) if a in org_areas else None for a in AREAS}
    data.update(
        team_row=row,
        levels_chart=charts.level_counts(row.counts),
        levels_table=_table(
            _("Members by level"),
            [_("Level"), _("Salespeople")],
            [[D.level_label(code), row.counts[code]] for code in LEVELS],
        ),
        areas_chart=charts.area_scores(row.areas, floor=floor, benchmark=benchmark),
        areas_table=_table(
            _("Area scores"),
            [_("Area"), _("Team"), _("Target floor"), *([_("Organisation")] if benchmark else [])],
            [
                [D.area_label(a), row.areas[a], floor] + ([benchmark[a]] if benchmark else [])
                for a in AREAS
            ],
        ),
    )
    return data


def _shaped(organisation, filters, *, team_ids, selected_teams, leadership, team=None) -> dict:
    """``_shape`` through the cache: reused until the organisation's grades go stale (new
    answers or settings), for the same filters, teams, role and language."""
    period = D.period_for(
        filters.chosen_month,
        filters.trend_length,
        now=timezone.now(),
        tz=timezone.get_current_timezone(),
    )
    method = filters.chosen_method
    slot = (
        "dashboard",
        organisation.pk,
        "now" if period.is_now else period.month.isoformat(),
        period.months,
        method or "",
        team_ids is None,
        tuple(selected_teams),
        leadership,
        team.pk if team else "",
        get_language(),
        str(timezone.get_current_timezone()),
    )
    # A copy: the views add this request's own entries (its form, its page of people), and the
    # kept figures are shared by every request of the process.
    return dict(
        kept_result(
            slot,
            scores_version(organisation.pk),
            lambda: _shape(
                organisation,
                period=period,
                method=method,
                team_ids=team_ids,
                selected_teams=selected_teams,
                leadership=leadership,
                team=team,
            ),
        )
    )


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
    context = _shaped(
        organisation, form, team_ids=team_ids, selected_teams=selected, leadership=leadership
    )
    summaries = context["summaries"]
    context.update(
        organisation=organisation,
        form=form,
        leadership=leadership,
        teams=teams,
        people=_people_table(request, summaries, _salespeople(organisation, team_ids, summaries)),
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
    context = _shaped(
        organisation,
        form,
        team_ids=[team.pk],
        selected_teams=[(team.pk, team.name)],
        leadership=leadership,
        team=team,
    )
    summaries = context["summaries"]
    follow_up_count, follow_ups = D.open_follow_ups(team)
    praise = praise_counts(team, as_of=timezone.now())
    context.update(
        organisation=organisation,
        form=form,
        leadership=leadership,
        team=team,
        people=_people_table(request, summaries, _salespeople(organisation, [team.pk], summaries)),
        follow_up_count=follow_up_count,
        follow_ups=follow_ups,
        praise=praise,
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
