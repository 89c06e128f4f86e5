"""Data shaping for the leadership and team dashboards: the engine's results (``Grades``,
``Trend``) turned into the rows, cards and series the pages and their charts show.

Plain functions on plain data: ``reports.pages`` reads the stored results
(``reports.results_cache``) and one query per kind of name, these functions shape,
``reports.charts`` draws. No database access here except
``open_follow_ups`` / ``overdue_mystery_visits``, which read the surveys' and observations'
models for the team page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from django.utils import timezone

from asiakaskunto.models import Area, Grade

from .scoring import (
    AREAS,
    LEVELS,
    NOT_ENOUGH_DATA,
    GroupResult,
    add_months,
    month_end,
)

TREND_LENGTHS = (6, 12, 24)
DEFAULT_TREND_LENGTH = 12
PAGE_SIZE = 50
LEVEL_COLOURS = {
    "IHAN_PARAS": "#146c43",
    "ERINOMAINEN": "#198754",
    "HYVA": "#6ea8fe",
    "KEHITETTAVAA": "#ffc107",
    "NOT_ENOUGH_DATA": "#adb5bd",
}


def level_label(code: str) -> str:
    return str(Grade(code).label)


def area_label(code: str) -> str:
    return str(Area(code).label)


def is_listed(*, active: bool, pk: int, graded) -> bool:
    """Whether a salesperson is listed on the pages and in the exports: every active one, and
    one who has left but still has answers in the window (``graded``: the graded ids), so that
    a grade never silently drops out of a team's table."""
    return active or pk in graded


def rounded(value: float | None, digits: int = 1) -> float | None:
    """A number for a page or a figure: rounded, None for missing (None or NaN); never −0.0."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), digits) + 0.0


# --- The period ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Period:
    """What the page looks at: grades as of ``as_of`` (None = now), compared with the grades as
    of ``previous_as_of`` (the end of the month before the looked-at month: the previous period
    of the same length ends where this one starts), and a trend of ``months`` month-ends."""

    month: date
    as_of: datetime | None
    moment: datetime
    previous_as_of: datetime
    trend_start: date
    trend_end: date
    months: int
    is_now: bool


def first_of_month(day: date) -> date:
    return date(day.year, day.month, 1)


def period_for(month: date | None, months: int, *, now: datetime, tz) -> Period:
    """The period of the month looked at (``None`` or the current month: now)."""
    current = first_of_month(timezone.localtime(now, tz).date())
    looked_at = first_of_month(month) if month else current
    is_now = looked_at >= current
    if is_now:
        looked_at = current
    as_of = None if is_now else month_end(looked_at, tz)
    return Period(
        month=looked_at,
        as_of=as_of,
        moment=now if is_now else as_of,
        previous_as_of=month_end(add_months(looked_at, -1), tz),
        trend_start=add_months(looked_at, -(months - 1)),
        trend_end=looked_at,
        months=months,
        is_now=is_now,
    )


# --- Headline figures ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Figures:
    """A group's headline: members at or above the target level, NPS, CSAT, CES with their n.

    For one group these are the engine's numbers as they are; for several teams they are
    combined exactly from the teams' own numbers (team pools partition the organisation's
    answers: each answer belongs to the team of its salesperson's latest answer, or to the
    submission's team when it has no salesperson).
    """

    member_count: int
    graded_count: int
    at_or_above_target_count: int
    share_at_or_above_target: float | None  # 0–1 of the graded members
    index: float | None
    level: str | None
    provisional: bool
    nps: float | None
    nps_n: int
    csat: float | None
    csat_mean: float | None  # the mean 1–5 answer beside the share of 4–5
    csat_n: int
    ces: float | None
    ces_n: int
    min_n: int


def _weighted(pairs: Iterable[tuple[float | None, int]]) -> tuple[float | None, int]:
    total = sum(n for value, n in pairs if value is not None)
    if not total:
        return None, 0
    return sum(value * n for value, n in pairs if value is not None) / total, total


def figures_of(groups: Sequence[GroupResult], *, min_n: int) -> Figures:
    """The headline of one group, or of several teams together (see ``Figures``)."""
    if len(groups) == 1:
        group = groups[0]
        m = group.metrics
        return Figures(
            member_count=group.member_count,
            graded_count=group.graded_count,
            at_or_above_target_count=group.at_or_above_target_count,
            share_at_or_above_target=group.share_at_or_above_target,
            index=group.index,
            level=group.level,
            provisional=group.provisional,
            nps=m["NPS"].value,
            nps_n=m["NPS"].n,
            csat=m["CSAT"].value,
            csat_mean=m["CSAT"].mean,
            csat_n=m["CSAT"].n,
            ces=m["CES"].value,
            ces_n=m["CES"].n,
            min_n=min_n,
        )
    graded = sum(g.graded_count for g in groups)
    above = sum(g.at_or_above_target_count for g in groups)
    metrics = {
        code: _weighted([(g.metrics[code].value, g.metrics[code].n) for g in groups])
        for code in ("NPS", "CSAT", "CES")
    }
    csat_mean, _n = _weighted([(g.metrics["CSAT"].mean, g.metrics["CSAT"].n) for g in groups])
    return Figures(
        member_count=sum(g.member_count for g in groups),
        graded_count=graded,
        at_or_above_target_count=above,
        share_at_or_above_target=above / graded if graded else None,
        index=None,
        level=None,
        provisional=False,
        nps=metrics["NPS"][0],
        nps_n=metrics["NPS"][1],
        csat=metrics["CSAT"][0],
        csat_mean=csat_mean,
        csat_n=metrics["CSAT"][1],
        ces=metrics["CES"][0],
        ces_n=metrics["CES"][1],
        min_n=min_n,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Card:
    """One headline card: a value with its n and the change since the previous period.

    ``change`` is rounded to the decimals the card shows, so that its sign, arrow and colour
    agree with the number read: a change shown as 0 has no arrow and no colour."""

    key: str
    value: float | None
    n: int
    too_few: bool
    change: float | None
    decimals: int
    suffix: str
    detail: str = ""
    mean: float | None = None  # CSAT: the mean 1–5 answer beside the share
    lower_is_better: bool = False

    @property
    def change_direction(self) -> str:
        """ "up", "down" or "" (no change, or none to show)."""
        if not self.change:
            return ""
        return "up" if self.change > 0 else "down"

    @property
    def change_is_good(self) -> bool | None:
        """Whether the change is for the better (None: no change)."""
        if not self.change_direction:
            return None
        return (self.change_direction == "up") != self.lower_is_better

    @property
    def change_size(self) -> float | None:
        """The change without its sign (the page writes the sign itself, once)."""
        return abs(self.change) if self.change is not None else None


def headline_cards(current: Figures, previous: Figures | None) -> list[Card]:
    """The four headline cards. A change is shown only when both periods have enough answers."""

    def change(now, before, enough_now=True, enough_before=True, *, decimals):
        if now is None or before is None or not (enough_now and enough_before):
            return None
        return rounded(now - before, decimals)

    share = current.share_at_or_above_target
    previous_share = previous.share_at_or_above_target if previous else None
    cards = [
        Card(
            key="target",
            value=rounded(share * 100) if share is not None else None,
            n=current.graded_count,
            too_few=current.graded_count == 0,
            change=change(
                share * 100 if share is not None else None,
                previous_share * 100 if previous_share is not None else None,
                decimals=0,
            ),
            decimals=0,
            suffix=" %",
            detail=f"{current.at_or_above_target_count} / {current.graded_count}",
        )
    ]
    for key, decimals, suffix in (("nps", 0, ""), ("csat", 0, " %"), ("ces", 1, "")):
        value, n = getattr(current, key), getattr(current, f"{key}_n")
        before = getattr(previous, key) if previous else None
        before_n = getattr(previous, f"{key}_n") if previous else 0
        too_few = n < current.min_n or value is None
        cards.append(
            Card(
                key=key,
                value=rounded(value),
                n=n,
                too_few=too_few,
                change=change(
                    value, before, not too_few, before_n >= current.min_n, decimals=decimals
                ),
                decimals=decimals,
                suffix=suffix,
                mean=rounded(current.csat_mean) if key == "csat" else None,
            )
        )
    return cards


# --- Level distribution, heat map ------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class TeamRow:
    """One team's standing: its members' levels and its pooled grade and area scores."""

    pk: int
    name: str
    counts: dict[str, int]
    member_count: int
    share_at_or_above_target: float | None
    index: float | None
    level: str
    provisional: bool
    areas: dict[str, float | None]
    nps: float | None
    nps_n: int

    @property
    def level_text(self) -> str:
        return level_label(self.level)

    @property
    def share_percent(self) -> float | None:
        share = self.share_at_or_above_target
        return rounded(share * 100, 0) if share is not None else None


def team_rows(
    results: Mapping[int, GroupResult], teams: Sequence[tuple[int, str]]
) -> list[TeamRow]:
    """A row per team (in the given order) from the teams' results (``Grades.teams``); a team
    without answers has zeros and no scores."""
    rows = []
    for pk, name in teams:
        group = results.get(pk)
        if group is None:
            rows.append(
                TeamRow(
                    pk=pk,
                    name=name,
                    counts=dict.fromkeys(LEVELS, 0),
                    member_count=0,
                    share_at_or_above_target=None,
                    index=None,
                    level=NOT_ENOUGH_DATA,
                    provisional=False,
                    areas=dict.fromkeys(AREAS),
                    nps=None,
                    nps_n=0,
                )
            )
            continue
        rows.append(
            TeamRow(
                pk=pk,
                name=name,
                counts={code: group.level_distribution.get(code, 0) for code in LEVELS},
                member_count=group.member_count,
                share_at_or_above_target=group.share_at_or_above_target,
                index=rounded(group.index),
                level=group.level,
                provisional=group.provisional,
                areas={
                    a: rounded(group.areas[a].score) if a in group.areas else None for a in AREAS
                },
                nps=rounded(group.metrics["NPS"].value),
                nps_n=group.metrics["NPS"].n,
            )
        )
    return rows


# --- Trend -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Series:
    name: str
    values: list[float | None]
    benchmark: bool = False


def trend_series(
    frame,
    *,
    months: Sequence[date],
    column: str,
    n_column: str | None = None,
    min_n: int = 0,
    key: str | None = None,
    names: Mapping[int, str] | None = None,
    name: str = "",
    benchmark: bool = False,
) -> list[Series]:
    """Series of ``column`` per entity of a trend frame (``key`` = "team"), one value per month;
    a month with fewer than ``min_n`` answers in ``n_column`` (or no value) is a gap."""
    position = {m: i for i, m in enumerate(months)}

    def values_of(rows) -> list[float | None]:
        values: list[float | None] = [None] * len(months)
        for record in rows:
            i = position.get(record["month"])
            if i is None:
                continue
            if n_column and record[n_column] < min_n:
                continue
            values[i] = rounded(record[column])
        return values

    if frame is None or frame.empty:
        return []
    wanted = ["month", column] + ([n_column] if n_column else []) + ([key] if key else [])
    records = frame[wanted].to_dict("records")
    if key is None:
        return [Series(name=name, values=values_of(records), benchmark=benchmark)]
    by_entity: dict[int, list] = {}
    for record in records:
        if record[key] in names:
            by_entity.setdefault(record[key], []).append(record)
    return [
        Series(name=names[pk], values=values_of(by_entity[pk])) for pk in names if pk in by_entity
    ]


def has_values(series: Sequence[Series]) -> bool:
    return any(v is not None for s in series for v in s.values)


# --- Development targets ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class TargetCount:
    """How many people have this area (question = "") or question below the target floor."""

    area: str
    question: str
    people: int
    questions: list[TargetCount] = field(default_factory=list)


def development_targets(
    people: Iterable[Iterable[tuple[str, Iterable[str]]]],
) -> list[TargetCount]:
    """Areas by the number of people whose score is below the target level's floor (most
    first), each with its questions counted the same way. ``people``: per person, the
    (area, question codes) of their development targets (``PeopleRows.summaries``)."""
    areas: dict[str, int] = {}
    questions: dict[str, dict[str, int]] = {}
    for targets in people:
        for area, codes in targets:
            areas[area] = areas.get(area, 0) + 1
            for code in codes:
                per_area = questions.setdefault(area, {})
                per_area[code] = per_area.get(code, 0) + 1
    order = {a: i for i, a in enumerate(AREAS)}
    out = []
    for area, count in sorted(areas.items(), key=lambda item: (-item[1], order.get(item[0], 9))):
        qs = sorted(questions.get(area, {}).items(), key=lambda item: (-item[1], item[0]))
        out.append(
            TargetCount(
                area=area,
                question="",
                people=count,
                questions=[TargetCount(area=area, question=q, people=n) for q, n in qs],
            )
        )
    return out


# --- The salespeople table -------------------------------------------------------------------

SORTS = ("name", "team", "level", "index", "gap", "n")
DEFAULT_SORT = "-index"


class PersonSummary(NamedTuple):
    """What the salespeople table needs of one engine result (small, cheap to cache)."""

    level: str
    provisional: bool
    index: float | None
    gap: float | None
    n: int
    reasons: tuple[str, ...]


def person_summaries(summaries: Mapping[int, Mapping[str, Any]]) -> dict[int, PersonSummary]:
    """The table's line of each salesperson from the engine's summaries of its results
    (``PeopleRows.summaries``: no result objects are made for it)."""
    return {
        pk: PersonSummary(
            level=summary["level"],
            provisional=summary["provisional"],
            index=rounded(summary["index"]),
            gap=rounded(summary["gap_to_target"]),
            n=summary["submissions"],
            reasons=summary["reasons"],
        )
        for pk, summary in summaries.items()
    }


class PersonRow(NamedTuple):
    """A line of the people's table. A tuple: a chain's table has 20,000 lines, sorted at each
    request, of which a page shows 50 (their reasons are put in words only when shown)."""

    pk: int
    name: str
    team: str
    level: str | None  # None: no answers in the window
    provisional: bool
    index: float | None
    gap: float | None
    n: int
    reason_codes: tuple[str, ...] = ()
    reason_labels: Mapping = {}

    @property
    def level_text(self) -> str:
        return level_label(self.level) if self.level else ""

    @property
    def reasons(self) -> str:
        return "; ".join(str(self.reason_labels.get(c, c)) for c in self.reason_codes)


def person_rows(
    summaries: Mapping[int, PersonSummary],
    salespeople: Iterable[tuple[int, str, str]],
    *,
    reason_labels: Mapping,
) -> list[PersonRow]:
    """A row per salesperson (pk, name, team name); the engine's numbers where it graded them."""
    rows = []
    for pk, name, team in salespeople:
        summary = summaries.get(pk)
        if summary is None:
            rows.append(PersonRow(pk, name, team, None, False, None, None, 0))
        else:
            rows.append(
                PersonRow(
                    pk,
                    name,
                    team,
                    summary.level,
                    summary.provisional,
                    summary.index,
                    summary.gap,
                    summary.n,
                    summary.reasons,
                    reason_labels,
                )
            )
    return rows


def parse_sort(value: str | None) -> str:
    value = value or DEFAULT_SORT
    return value if value.lstrip("-") in SORTS else DEFAULT_SORT


def sort_rows(rows: list[PersonRow], sort: str) -> list[PersonRow]:
    """Sort by a column (``-`` first: descending); rows without a value always come last,
    ties by name and id."""
    key = sort.lstrip("-")
    descending = sort.startswith("-")
    level_rank = {code: i for i, code in enumerate(LEVELS)}

    def value(row: PersonRow):
        if key == "name":
            return row.name.casefold()
        if key == "team":
            return row.team.casefold()
        if key == "level":
            # Best first when ascending; "no answers" after "not enough data".
            return level_rank.get(row.level, len(LEVELS)) if row.level else len(LEVELS) + 1
        return getattr(row, key)

    # (value, name folded, id, row), each computed once; by name and id, then (stable) by value.
    keyed = [(value(r), r.name.casefold(), r.pk, r) for r in rows]
    present = sorted((k for k in keyed if k[0] is not None), key=lambda k: (k[1], k[2]))
    present.sort(key=lambda k: k[0], reverse=descending)
    missing = sorted((k for k in keyed if k[0] is None), key=lambda k: (k[1], k[2]))
    return [k[3] for k in present] + [k[3] for k in missing]


# --- Follow-ups and mystery-shop plans of the other apps -------------------------------------


def open_follow_ups(team, *, limit: int = 10) -> tuple[int, list]:
    """The team's unresolved customer follow-ups (open or contacted): count, oldest first, each
    with the answers that opened it (``unhappy_answers``)."""
    from surveys.models import FollowUp
    from surveys.services import with_unhappy_answers

    queryset = FollowUp.objects.filter(team=team).unresolved().select_related("salesperson")
    return queryset.count(), with_unhappy_answers(queryset.order_by("answered_at", "id")[:limit])


def overdue_mystery_visits(team, *, now, limit: int = 10) -> tuple[int, list]:
    """The team's mystery-shop plans whose window ended without a test (``overdue``): count,
    oldest first."""
    from observations.models import MysteryPlan

    queryset = (
        MysteryPlan.objects.filter(team=team)
        .overdue(now=now)
        .select_related("salesperson", "team", "schedule")
    )
    return queryset.count(), list(queryset.order_by("window_end_date", "id")[:limit])
