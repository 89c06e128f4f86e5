"""What the leadership dashboard, a team's dashboard, a salesperson's page and the home page's
panel show, as plain data: read from the stored results (``reports.results_cache``, whose
docstring is the cache policy) plus one query per kind of name. Views only translate HTTP
(the query string into arguments, access, rendering); exports and jobs use the same layer.

Everything the engine's results give is shaped once per stored result and page variant
(``Result.page``); what depends on the request (the period's "now", its page of people) is
added per request. Every page says how fresh its figures are (``freshness``).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone, translation
from django.utils.formats import localize
from django.utils.html import _json_script_escapes, conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from asiakaskunto.models import Method, Question, Salesperson, Team
from asiakaskunto.questions import questions_by_code
from surveys.praise import praise_counts

from . import charts, results_cache
from . import dashboards as D
from . import person as P
from .charts_person import radar_figure, trend_figure
from .comments import comments_for_salesperson
from .results_cache import Result
from .scoring import AREAS, LEVELS, METHODS, NOT_ENOUGH_DATA


class Figure(dict):
    """A chart's figure (a dict, as ``reports.charts`` makes it) with its JSON for the page's
    ``<script type="application/json">`` made once, when the page variant is shaped."""

    def __init__(self, figure: dict):
        super().__init__(figure)
        self.json = json.dumps(figure, cls=DjangoJSONEncoder).translate(_json_script_escapes)


def freshness(computed_at: datetime) -> dict[str, str]:
    """How fresh the figures are, in local time: every answer stored before ``iso`` is in
    them ("tilanne klo 14.32")."""
    local = timezone.localtime(computed_at)
    return {
        "iso": local.isoformat(),
        "text": _("as of %(hours)s:%(minutes)s")
        % {"hours": f"{local.hour:02d}", "minutes": f"{local.minute:02d}"},
    }


# --- The dashboards --------------------------------------------------------------------------


def _table(caption: str, headers: list[str], rows: list[list]) -> str:
    """The text alternative of a chart (``table`` of reports/_chart.html): the first cell of a
    row heads it, an empty value is "–", numbers in the language's format. Written here, not in
    a template: a chain's trend tables have thousands of cells."""

    def cell(value) -> str:
        return "–" if value is None else conditional_escape(localize(value))

    head = "".join(format_html('<th scope="col">{}</th>', header) for header in headers)
    body = "".join(
        "<tr>"
        + "".join(
            format_html('<th scope="row">{}</th>', cell(value))
            if i == 0
            else format_html("<td>{}</td>", cell(value))
            for i, value in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return format_html(
        '<div class="table-responsive"><table class="table table-sm table-striped mb-0">'
        '<caption class="caption-top">{}</caption><thead><tr>{}</tr></thead>'
        "<tbody>{}</tbody></table></div>",
        caption,
        mark_safe(head),  # noqa: S308 (built of escaped parts above)
        mark_safe(body),  # noqa: S308
    )


def _questions_of(targets, organisation) -> dict[str, Question]:
    """{code: Question} of the development targets' questions in the organisation's bank (the
    current versions): people read their wording (the chart its short form, the table the
    whole), never the code."""
    codes = {q.question for t in targets for q in t.questions}
    return questions_by_code(organisation, codes)


def salespeople(organisation, team_ids: list[int] | None, graded) -> list:
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


def dashboard(
    organisation,
    *,
    month: date | None,
    trend_length: int,
    method: str | None,
    team_ids: list[int] | None,
    selected_teams: list[tuple[int, str]],
    leadership: bool,
    team=None,
) -> dict[str, Any]:
    """A dashboard's data: the chosen teams' (``team_ids`` None: the organisation's) cards,
    charts with their tables, development targets and the people's lines (``summaries``).
    ``team``: the team of a team's page (None: the leadership dashboard)."""
    period = D.period_for(
        month, trend_length, now=timezone.now(), tz=timezone.get_current_timezone()
    )
    variant = _variant(team_ids, selected_teams, leadership, team, period.months)

    def use(result: Result) -> dict[str, Any]:
        data = result.page(
            variant,
            lambda: _shape(
                result,
                months=period.months,
                method=method,
                team_ids=team_ids,
                selected_teams=selected_teams,
                leadership=leadership,
                team=team,
            ),
        )
        shown = replace(period, moment=result.head.as_of[0]) if period.is_now else period
        data.update(period=shown, freshness=freshness(result.computed_at))
        return data

    moment = results_cache.month_moment(None if period.is_now else period.month)
    return results_cache.read(organisation, use, moment=moment, method=method)


def _variant(team_ids, selected_teams, leadership: bool, team, months: int) -> tuple:
    return (
        "dashboard",
        None if team_ids is None else tuple(team_ids),
        tuple(tuple(pair) for pair in selected_teams),
        leadership,
        team.pk if team else None,
        months,
        get_language(),
    )


def prewarm(result: Result) -> None:
    """Shape the leadership dashboard's default variant (the whole organisation, the default
    trend, the site's language) of a result just stored, so that the first visitor after a
    recompute does not (the recompute task calls this)."""
    teams = list(
        Team.objects.filter(organisation=result.organisation)
        .order_by("name", "id")
        .values_list("pk", "name")
    )
    months = D.DEFAULT_TREND_LENGTH
    with translation.override(settings.LANGUAGE_CODE):
        result.page(
            _variant(None, teams, True, None, months),
            lambda: _shape(
                result,
                months=months,
                method=None,
                team_ids=None,
                selected_teams=teams,
                leadership=True,
                team=None,
            ),
        )


def _shape(result: Result, *, months, method, team_ids, selected_teams, leadership, team):
    """Everything a dashboard shows except the request's own (the period, the page of people)."""
    scoring = result.scoring
    groups = result.groups()
    people = result.people()
    floor = scoring.levels[scoring.target_level].no_area_below
    min_n = scoring.min_n_for_metrics

    def figures(moment: int):
        if team_ids is None:
            return D.figures_of([groups.organisation[moment]], min_n=min_n)
        teams = groups.teams[moment]
        return D.figures_of([teams[t] for t in team_ids if t in teams], min_n=min_n)

    current_figures = figures(0)
    chosen = set(team_ids) if team_ids is not None else None
    targets = D.development_targets(
        targets
        for pk, targets in people.targets.items()
        if chosen is None or people.team_of.get(pk) in chosen
    )
    questions = _questions_of(targets, result.organisation)
    question_labels = {code: q.short_text for code, q in questions.items()}
    names = dict(selected_teams)
    trend_months = list(result.head.months[-months:])

    def series(column, n_column=None):
        out = D.trend_series(
            groups.trend_teams,
            months=trend_months,
            column=column,
            n_column=n_column,
            min_n=min_n,
            key="team",
            names=names,
        )
        if leadership:
            out += D.trend_series(
                groups.trend_organisation,
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
        "method": method,
        "method_label": str(Method(method).label) if method else "",
        "figures": current_figures,
        "cards": D.headline_cards(current_figures, figures(1)),
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
        "summaries": people.summaries,
    }
    if team is None:
        rows = D.team_rows(groups.teams[0], selected_teams)
        data.update(
            team_rows=rows,
            levels_chart=charts.level_distribution(rows),
            levels_table=_table(
                _("Salespeople by level"),
                [_("Team"), *[D.level_label(code) for code in LEVELS]],
                [[row.name, *[row.counts[code] for code in LEVELS]] for row in rows],
            ),
            heatmap_chart=charts.team_area_heatmap(rows, floor=floor),
            heatmap_table=_table(
                _("Area scores by team"),
                [_("Team"), *[D.area_label(a) for a in AREAS]],
                [[row.name, *[row.areas[a] for a in AREAS]] for row in rows],
            ),
        )
        return _prepared(data)
    (row,) = D.team_rows(groups.teams[0], [(team.pk, team.name)])
    benchmark = None
    if leadership:
        org_areas = groups.organisation[0].areas
        benchmark = {a: D.rounded(org_areas[a].score) if a in org_areas else None for a in AREAS}
    data.update(
        team_row=row,
        # The customers' praise as of the figures' moment, with them (at 10M answers the count
        # over the team's year takes a fifth of a second: not once per view).
        praise=praise_counts(team, as_of=result.computed_at),
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
    return _prepared(data)


def _figure(figure: dict | None) -> Figure | None:
    return None if figure is None else Figure(figure)


def _prepared(data: dict[str, Any]) -> dict[str, Any]:
    """The shaped data with each chart's JSON made once (``Figure``)."""
    return {
        key: Figure(value) if key.endswith("_chart") and isinstance(value, dict) else value
        for key, value in data.items()
    }


# --- The salesperson's page ------------------------------------------------------------------


def person_page(salesperson: Salesperson) -> dict[str, Any]:
    """Everything the salesperson's page shows, as of now, with the last P.TREND_MONTHS
    month-ends for the trend."""

    def use(result: Result) -> dict[str, Any]:
        data = result.page(("person", salesperson.pk, get_language()), lambda: shape(result))
        data.update(salesperson=salesperson, freshness=freshness(result.computed_at))
        return data

    def shape(result: Result) -> dict[str, Any]:
        settings = result.scoring
        person, trend = result.person(salesperson.pk)
        first = result.head.months[-P.TREND_MONTHS]
        months = P.trend_rows([row for row in trend if row["month"] >= first])
        areas = P.area_rows(person, settings)
        index = P.index_view(person, settings)
        level = person.level if person else NOT_ENOUGH_DATA
        return {
            "result": person,
            "as_of": result.head.as_of[0],
            "level": level,
            "level_label": D.level_label(level),
            "graded": level != NOT_ENOUGH_DATA,
            "provisional": bool(person and person.provisional),
            "reasons": P.reason_texts(P.reasons_of(person, settings)),
            "has_answers": person is not None,
            "index": index,
            "areas": areas,
            "methods": [{"code": m, "label": P.method_label(m)} for m in METHODS],
            "metrics": P.metrics_view(person, settings),
            "min_n": settings.min_n_for_metrics,
            "targets": P.targets_view(person, salesperson.organisation_id),
            "trend": months,
            "has_trend": any(m["index"] is not None or m["nps"] is not None for m in months),
            "radar": _figure(radar_figure(areas, index)) if person else None,
            "trend_figure": _figure(trend_figure(months)),
        }

    data = results_cache.read(salesperson.organisation, use)
    data.update(
        recent=P.recent_answers(salesperson), comments=comments_for_salesperson(salesperson)
    )
    return data


# --- The home page's panel -------------------------------------------------------------------


def home_leadership(organisation) -> dict[str, Any]:
    """Leadership's headline cards as of now."""

    def use(result: Result) -> dict[str, Any]:
        scoring = result.scoring
        figures = D.figures_of([result.groups().organisation[0]], min_n=scoring.min_n_for_metrics)
        return {**_home_common(result), "cards": D.headline_cards(figures, None)}

    return results_cache.read(organisation, use)


def home_manager(organisation, teams: list[tuple[int, str]]) -> dict[str, Any]:
    """A manager's teams' standing as of now."""

    def use(result: Result) -> dict[str, Any]:
        return {**_home_common(result), "team_rows": D.team_rows(result.groups().teams[0], teams)}

    return results_cache.read(organisation, use)


def _home_common(result: Result) -> dict[str, Any]:
    scoring = result.scoring
    return {
        "target_label": D.level_label(scoring.target_level),
        "min_n": scoring.min_n_for_metrics,
        "freshness": freshness(result.computed_at),
    }


def own_summary(salesperson: Salesperson) -> dict[str, Any]:
    """A salesperson's own standing as of now: level, index against the target, what to train."""

    def use(result: Result) -> dict[str, Any]:
        scoring = result.scoring
        person, _trend = result.person(salesperson.pk)
        level = person.level if person else NOT_ENOUGH_DATA
        return {
            "salesperson": salesperson,
            "level": level,
            "level_text": D.level_label(level),
            "provisional": bool(person and person.provisional),
            "reasons": P.reason_texts(P.reasons_of(person, scoring))
            if level == NOT_ENOUGH_DATA
            else [],
            "index": P.index_view(person, scoring),
            "targets": [D.area_label(t.area) for t in (person.targets if person else [])],
        }

    return {"own": results_cache.read(salesperson.organisation, use)}
