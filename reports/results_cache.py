"""The reporting layer's cache policy: stored results, served while fresh ones are made.

A *result* is what one call of ``reports.compute.compute`` gives for one organisation, one
moment and one method filter (``Spec``): the grades at the moment and, for a dashboard
moment, at the end of the month before it, with the month-end trend of the 24 months up to
it (every trend length the pages offer is a slice of it). Nothing else computes grades.

A result is stored in the shared cache (every app process and the task worker see the same)
with its ``computed_at`` (every answer stored before that moment is in it) and the staleness
token it was computed under, in small pieces so that a page reads only what it shows: the
head (``Head``: moments, settings, computed_at, token), the teams' and organisation's
results with their trends (``Groups``), one line per salesperson (``People``), the whole
results of each team's members as rows of numbers whose result objects a reader makes when it
first reads one (``TeamPiece``, ``PeopleRows``), and the shaped data of each page variant
(``Result.page``). Pieces are immutable plain data; readers share them read only.

A result is *stale* when its organisation has been marked stale since it was computed
(``mark_stale``: new, changed or deleted answers, new settings), and a result "now" also when
it is older than ``NOW_MAX_AGE`` or the month has turned. Reading a result (``result``):
- fresh: it is served;
- stale: it is still served (the newest complete one), and ONE recompute is queued through
  Django's tasks API (``recompute``); an atomic ``cache.add`` of the spec's lock (expiring
  after ``LOCK_SECONDS``) keeps the many visitors of a stale result to one task. A request
  never computes once a result exists (with the immediate backend of development and tests
  the queued task runs at once, and the request then serves what it made);
- none stored (a cold start, or a piece lost): the request computes and stores it.
When answers are stored (``mark_stale_on_commit``) and the tasks backend can defer a task
(``run_after``: production's django-tasks-db worker), a recompute of the organisation's
standard result ("now", all methods) is queued ``DEFER_SECONDS`` later, at most one pending
per organisation (the same lock), and a recompute that finds the organisation stale again
when it ends queues the next one: while answers stream in, each is in the pages within
about DEFER_SECONDS plus one recompute. The answer's own request never computes. A recompute also shapes the leadership dashboard's
default variant of the new result (``reports.pages.prewarm``) before it publishes the result.
A replaced result's pieces expire ``RETIRED_SECONDS`` later (requests still reading it); a
result is kept ``KEEP_SECONDS`` (one of a single moment, for an export or a digest, and a page
variant's shaped data ``PAGE_SECONDS``).
"""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
from django.db import transaction
from django.tasks import TaskResultStatus, task
from django.utils import timezone

from asiakaskunto.cache import shared_cache as cache
from asiakaskunto.models import Organisation

from . import dashboards as D
from .compute import compute
from .scoring import (
    Grades,
    GroupResult,
    PersonResult,
    ScoringSettings,
    add_months,
    month_end,
    months_between,
)
from .scoring.engine import run_starts
from .scoring.grading import PeopleRows
from .services import scoring_settings_for

logger = logging.getLogger(__name__)

TREND_MONTHS = max(D.TREND_LENGTHS)
NOW_MAX_AGE = 10 * 60  # recency weights move slowly (half-lives are months)
LOCK_SECONDS = 120
# Answers within it share one recompute; freshness ≈ this + 2 recomputes. While answers stream
# in, recomputes follow each other this far apart: the share of a core they take (a 1M-answer
# recompute took 2-7 s under streaming) is what the pages' own requests lose.
DEFER_SECONDS = 20
KEEP_SECONDS = 24 * 60 * 60
RETIRED_SECONDS = 2 * 60
PAGE_SECONDS = 15 * 60
NOW = "now"


# --- What is stored --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Spec:
    """Which result: ``moment`` is "now", "month:YYYY-MM" (as of that month's end, with the
    month before and the trend up to it) or "at:<ISO moment>" (grades at that moment only)."""

    organisation_id: int
    moment: str = NOW
    method: str | None = None
    tz: str = "UTC"

    @property
    def key(self) -> str:
        # v5: a team piece keeps its people's trends as the team's columns; v4: its people as
        # rows (``PeopleRows``); v3: its people's trends as columns each.
        return f"results:v5:{self.organisation_id}:{self.moment}:{self.method or ''}:{self.tz}"

    @property
    def lock_key(self) -> str:
        return "lock:" + self.key


@dataclass(frozen=True, slots=True, kw_only=True)
class Head:
    spec: Spec
    id: str
    token: str
    computed_at: datetime
    as_of: tuple[datetime, ...]
    months: tuple[date, ...]
    scoring: ScoringSettings
    teams: tuple[int, ...]  # the teams that have a TeamPiece

    def piece_key(self, name: str) -> str:
        return f"{self.spec.key}:{self.id}:{name}"

    def piece_names(self) -> list[str]:
        return ["groups", "people", "team_of", *(f"team:{t}" for t in self.teams)]


@dataclass(frozen=True, slots=True, kw_only=True)
class Groups:
    """The organisation's and each team's results at each moment of the head, and their
    month-end trends (None without a trend)."""

    organisation: tuple[GroupResult, ...]
    teams: tuple[dict[int, GroupResult], ...]
    trend_teams: pd.DataFrame | None
    trend_organisation: pd.DataFrame | None


@dataclass(frozen=True, slots=True, kw_only=True)
class People:
    """Per salesperson graded at the first moment: the table's line, the engine's team, and
    the development targets as (area, question codes) pairs."""

    summaries: dict[int, D.PersonSummary]
    team_of: dict[int, int]
    targets: dict[int, tuple[tuple[str, tuple[str, ...]], ...]]


@dataclass(frozen=True, slots=True, kw_only=True)
class TeamPiece:
    """The whole results of a team's members at the first moment (kept as rows: their result
    objects are made when a reader first reads one), and their trends: the team's month rows as
    columns (``_TREND_ROW_COLUMNS``; each person's months together, ascending), and where each
    person's rows are in them (``Result.person`` gives them as rows)."""

    people: Mapping[int, PersonResult]
    trend: dict[int, tuple[int, int]] = field(default_factory=dict)  # pk: (start, end)
    trend_columns: tuple[list, ...] = ()


class Missing(Exception):
    """A piece of a stored result is gone (evicted): the result is computed again."""


# --- Staleness -------------------------------------------------------------------------------


def _token_key(organisation_id: int) -> str:
    return f"results-token:{organisation_id}"


def _token(organisation_id: int, stored: str | None = None) -> str:
    if stored is not None:
        return stored
    key = _token_key(organisation_id)
    new = secrets.token_hex(8)
    # The one added, or else the one another process added meanwhile.
    return new if cache.add(key, new, timeout=None) else (cache.get(key) or new)


def mark_stale(organisation_id: int) -> None:
    """The organisation's stored results no longer show everything (answers or settings
    changed): the next reader of each queues its recompute."""
    cache.set(_token_key(organisation_id), secrets.token_hex(8), timeout=None)


def mark_stale_on_commit(organisation_id: int) -> None:
    """``mark_stale`` when the transaction commits, and queue the deferred recompute of the
    standard result (when the tasks backend can defer)."""

    def changed():
        mark_stale(organisation_id)
        _queue(_standard(organisation_id), deferred=True)

    transaction.on_commit(changed, robust=True)


def _standard(organisation_id: int) -> Spec:
    return Spec(organisation_id, NOW, None, timezone.get_default_timezone_name())


def _is_stale(head: Head, token: str, now: datetime) -> bool:
    if head.token != token:
        return True
    if head.spec.moment != NOW:
        return False
    month = D.first_of_month(timezone.localtime(now, _zone(head.spec.tz)).date())
    return (now - head.computed_at).total_seconds() > NOW_MAX_AGE or head.months[-1] != month


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


# --- Reading ---------------------------------------------------------------------------------


class Result:
    """A stored result as one reader sees it: the head, and pieces read when asked for (each
    at most once per reader)."""

    def __init__(
        self, organisation: Organisation, head: Head, *, stale: bool, pieces=None, new=False
    ):
        self.organisation = organisation
        self.head = head
        self.stale = stale
        self._pieces: dict[str, Any] = dict(pieces or {})
        self._new = new  # computed by this reader: nothing else is stored beside it yet

    @property
    def computed_at(self) -> datetime:
        return self.head.computed_at

    @property
    def scoring(self) -> ScoringSettings:
        return self.head.scoring

    def _piece(self, name: str):
        if name not in self._pieces:
            value = cache.get(self.head.piece_key(name))
            if value is None:
                raise Missing(name)
            self._pieces[name] = value
        return self._pieces[name]

    def groups(self) -> Groups:
        return self._piece("groups")

    def people(self) -> People:
        return self._piece("people")

    def team(self, team_id: int) -> TeamPiece:
        if team_id not in self.head.teams:
            return TeamPiece(people={})
        return self._piece(f"team:{team_id}")

    def team_of(self) -> dict[int, int]:
        """{salesperson: the team the engine counts them in} (``People.team_of`` alone)."""
        return self._piece("team_of")

    def person(self, salesperson_id: int) -> tuple[PersonResult | None, list[dict[str, Any]]]:
        """The salesperson's result at the first moment (None: no answers) and trend rows."""
        team = self.team_of().get(salesperson_id)
        if team is None:
            return None, []
        piece = self.team(team)
        start, end = piece.trend.get(salesperson_id, (0, 0))
        columns = [column[start:end] for column in piece.trend_columns]
        rows = [
            dict(zip(_TREND_ROW_COLUMNS, row, strict=True)) for row in zip(*columns, strict=True)
        ]
        return piece.people.get(salesperson_id), rows

    def grades(self) -> Grades:
        """The whole ``Grades`` of the first moment (every team piece: for exports and jobs,
        not for pages)."""
        people: dict[int, PersonResult] = {}
        for team in self.head.teams:
            people.update(self.team(team).people)
        groups = self.groups()
        return Grades(
            as_of=self.head.as_of[0],
            people=people,
            teams=groups.teams[0],
            organisation=groups.organisation[0],
        )

    def grades_of(self, salesperson_ids) -> Grades:
        """``grades()`` with only these salespeople's results in ``people`` (reads only their
        teams' pieces)."""
        wanted = set(salesperson_ids)
        team_of = self.team_of()
        people: dict[int, PersonResult] = {}
        for team in {team_of[pk] for pk in wanted if pk in team_of}:
            people.update((pk, r) for pk, r in self.team(team).people.items() if pk in wanted)
        groups = self.groups()
        return Grades(
            as_of=self.head.as_of[0],
            people=people,
            teams=groups.teams[0],
            organisation=groups.organisation[0],
        )

    def page(self, variant: tuple, build) -> dict[str, Any]:
        """A page's shaped data for ``variant`` (its filters, language, role…), made by
        ``build()`` once per stored result and kept beside it. The caller gets a copy of the
        dict (its own entries go there); the values are shared, read only."""
        digest = hashlib.sha256(repr(variant).encode()).hexdigest()[:32]
        key = self.head.piece_key(f"page:{digest}")
        data = self._pieces.get(key) or (None if self._new else cache.get(key))
        if data is None:
            data = build()
            cache.set(key, data, PAGE_SECONDS)
        self._pieces[key] = data
        return dict(data)


def result(
    organisation: Organisation,
    *,
    moment: str = NOW,
    method: str | None = None,
    tz: str | None = None,
) -> Result:
    """The newest stored result of ``moment`` / ``method`` (see the module's policy)."""
    spec = Spec(organisation.pk, moment, method or None, tz or timezone.get_current_timezone_name())
    token_key = _token_key(organisation.pk)
    found = cache.get_many([spec.key, token_key])
    head = found.get(spec.key)
    token = _token(organisation.pk, found.get(token_key))
    if head is None:
        return _compute_here(organisation, spec, token=token)
    if not _is_stale(head, token, timezone.now()):
        return Result(organisation, head, stale=False)
    if _queue(spec) == TaskResultStatus.SUCCESSFUL:  # ran at once (the immediate backend)
        newer = cache.get(spec.key)
        if newer is not None and newer.id != head.id:
            return Result(organisation, newer, stale=False)
    return Result(organisation, head, stale=True)


def stale(organisation: Organisation, *, moment: str = NOW, method: str | None = None) -> bool:
    """Whether the stored result of ``moment`` / ``method`` is stale or missing."""
    spec = Spec(organisation.pk, moment, method, timezone.get_current_timezone_name())
    head = cache.get(spec.key)
    token = _token(organisation.pk, cache.get(_token_key(organisation.pk)))
    return head is None or _is_stale(head, token, timezone.now())


def refresh(organisation: Organisation, *, moment: str = NOW, method: str | None = None) -> Result:
    """Compute and store one result here and now (the recompute_scores command)."""
    spec = Spec(organisation.pk, moment, method, timezone.get_current_timezone_name())
    return _compute_here(organisation, spec)


def read(organisation: Organisation, use, **spec) -> Any:
    """``use(result(...))``; when a piece has gone missing meanwhile, once more from a result
    computed here."""
    current = result(organisation, **spec)
    try:
        return use(current)
    except Missing:
        return use(_compute_here(organisation, current.head.spec))


def grades_for(
    organisation: Organisation, *, as_of: datetime | None = None, method: str | None = None
) -> Grades:
    """The whole grades of every salesperson, team and the organisation as of ``as_of``
    (None: now), by the same policy (for exports and background jobs; pages read pieces)."""
    moment = NOW if as_of is None else "at:" + as_of.isoformat()
    return read(organisation, Result.grades, moment=moment, method=method)


def grades_of(
    organisation: Organisation, salesperson_ids, *, as_of: datetime | None = None
) -> Grades:
    """``grades_for`` with only these salespeople in ``people``: a page about a few people
    reads only their teams' pieces, not the whole organisation's."""
    moment = NOW if as_of is None else "at:" + as_of.isoformat()
    return read(organisation, lambda stored: stored.grades_of(salesperson_ids), moment=moment)


def team_people(organisation: Organisation, team_id: int) -> Mapping[int, PersonResult]:
    """{salesperson: result} now of the people the engine counts in the team (their latest
    answer's team), from that team's piece alone."""
    return read(organisation, lambda stored: stored.team(team_id).people)


def month_moment(month: date | None) -> str:
    """The spec moment of a dashboard's month (None: now)."""
    return NOW if month is None else f"month:{month:%Y-%m}"


# --- Computing -------------------------------------------------------------------------------


def _moments(spec: Spec, now: datetime) -> tuple[list[datetime], list[date]]:
    zone = _zone(spec.tz)
    if spec.moment.startswith("at:"):
        return [datetime.fromisoformat(spec.moment[3:])], []
    if spec.moment == NOW:
        month = D.first_of_month(timezone.localtime(now, zone).date())
        first = now
    else:
        year, number = spec.moment.removeprefix("month:").split("-")
        month = date(int(year), int(number), 1)
        first = month_end(month, zone)
    previous = month_end(add_months(month, -1), zone)
    return [first, previous], months_between(add_months(month, -(TREND_MONTHS - 1)), month)


def _compute_here(organisation: Organisation, spec: Spec, *, token: str | None = None) -> Result:
    head, pieces = _compute_and_store(organisation, spec, token=token)
    return Result(organisation, head, stale=False, pieces=pieces, new=True)


def _compute_and_store(
    organisation: Organisation, spec: Spec, *, token: str | None = None, before_publish=None
) -> tuple[Head, dict[str, Any]]:
    """Compute ``spec`` and store it. ``token``: the organisation's staleness token, read
    before anything else is (an answer committed later makes this result stale).
    ``before_publish(result)`` runs once the pieces are stored, before readers see the head."""
    token = token or _token(organisation.pk, cache.get(_token_key(organisation.pk)))
    scoring = scoring_settings_for(organisation)
    computed_at = timezone.now()
    as_of, months = _moments(spec, computed_at)
    computed = compute(
        organisation,
        scoring=scoring,
        as_of=as_of,
        trend_months=months,
        method=spec.method,
        tz=spec.tz,
        people_moments=1,  # the pieces keep the people of the first moment only
    )
    pieces = _pieces(computed)
    head = Head(
        spec=spec,
        id=secrets.token_hex(6),
        token=token,
        computed_at=computed_at,
        as_of=tuple(g.as_of for g in computed.grades),
        months=tuple(months),
        scoring=scoring,
        teams=tuple(sorted(int(name[5:]) for name in pieces if name.startswith("team:"))),
    )
    # A result of one moment (an export, a digest) is seldom asked for again: kept briefly.
    keep = KEEP_SECONDS if not spec.moment.startswith("at:") else PAGE_SECONDS
    cache.set_many({head.piece_key(name): value for name, value in pieces.items()}, keep)
    if before_publish is not None:
        before_publish(Result(organisation, head, stale=False, pieces=pieces, new=True))
    old = cache.get(spec.key)
    if old is None or old.computed_at <= computed_at:
        cache.set(spec.key, head, keep)
        if old is not None:
            _retire(old)
    return head, pieces


def _retire(head: Head) -> None:
    for name in head.piece_names():
        cache.touch(head.piece_key(name), RETIRED_SECONDS)


# A salesperson's trend row as a TeamPiece keeps it (``reports.person.trend_rows`` reads it).
_TREND_ROW_COLUMNS = ["month", "level", "index", "nps", "nps_n", "nps_too_few"]


def _pieces(computed) -> dict[str, Any]:
    first = computed.grades[0]
    everyone: PeopleRows = first.people
    team_of = everyone.team_of()
    trends: dict[int, tuple[dict[int, tuple[int, int]], tuple[list, ...]]] = {}
    if computed.trend is not None and not computed.trend.people.empty:
        trends = _team_trends(computed.trend.people, team_of)
    members: dict[int, list[int]] = {}
    for pk, team in team_of.items():
        members.setdefault(team, []).append(pk)
    teams = {
        team: TeamPiece(people=everyone.take(pks), trend=trend, trend_columns=columns)
        for team, pks in members.items()
        for trend, columns in [trends.get(team, ({}, ()))]
    }
    summaries = everyone.summaries()
    trend = computed.trend
    return {
        "groups": Groups(
            organisation=tuple(g.organisation for g in computed.grades),
            teams=tuple(g.teams for g in computed.grades),
            trend_teams=trend.teams if trend is not None else None,
            trend_organisation=trend.organisation if trend is not None else None,
        ),
        "people": People(
            summaries=D.person_summaries(summaries),
            team_of=team_of,
            targets={pk: summary["targets"] for pk, summary in summaries.items()},
        ),
        "team_of": team_of,
        **{f"team:{team}": piece for team, piece in teams.items()},
    }


def _team_trends(frame: pd.DataFrame, team_of: dict[int, int]) -> dict[int, tuple]:
    """Each team piece's trend: ({pk: (start, end)}, the columns of its people's month rows).
    A salesperson goes with the team the engine counts them in now (``team_of``), or, graded
    in some month and not now, with the team of their latest month (added to ``team_of``).
    Column by column (tolist gives Python values) and a slice per team: rows made one dict at
    a time, or columns sliced per person, cost several times as much for the ~500,000
    person-months of a chain of 20,000."""
    frame = frame.sort_values("salesperson", kind="stable")  # months stay ascending
    sellers = frame["salesperson"].to_numpy(dtype=np.int64)
    starts = run_starts(sellers)
    ends = np.append(starts[1:], len(sellers))
    pks = sellers[starts].tolist()
    latest = frame["team"].to_numpy(dtype=np.float64)[ends - 1].tolist()
    piece = []
    for pk, team in zip(pks, latest, strict=True):
        if pk not in team_of and not math.isnan(team):
            team_of[pk] = int(team)  # graded in some month, not now: the latest month's team
        piece.append(team_of.get(pk, -1))
    piece = np.array(piece, dtype=np.int64)
    # The rows by (piece's team, salesperson, month): each team's people's rows together.
    lengths = ends - starts
    order = np.argsort(np.repeat(piece, lengths), kind="stable")
    frame = frame.iloc[order]
    columns = [frame[name].tolist() for name in _TREND_ROW_COLUMNS]
    by_team = np.argsort(piece, kind="stable")  # the people in the rows' new order
    piece, lengths = piece[by_team], lengths[by_team]
    people = np.array(pks, dtype=np.int64)[by_team].tolist()
    firsts = np.concatenate([[0], np.cumsum(lengths)])
    out: dict[int, tuple] = {}
    team_starts = run_starts(piece)
    team_ends = np.append(team_starts[1:], len(piece))
    for t0, t1 in zip(team_starts.tolist(), team_ends.tolist(), strict=True):
        team = int(piece[t0])
        if team < 0:
            continue  # (no team at all: on no page)
        low, high = int(firsts[t0]), int(firsts[t1])
        spans = {
            pk: (a - low, b - low)
            for pk, a, b in zip(
                people[t0:t1], firsts[t0:t1].tolist(), firsts[t0 + 1 : t1 + 1].tolist(), strict=True
            )
        }
        out[team] = (spans, tuple(column[low:high] for column in columns))
    return out


# --- The background recompute ----------------------------------------------------------------


def _prewarm(stored: Result) -> None:
    from .pages import prewarm  # the pages build on this module

    try:
        prewarm(stored)
    except Exception:  # the result is stored; a page shapes its figures itself
        logger.exception("Could not shape the dashboard of %s", stored.head.spec.key)


def _queue(spec: Spec, *, deferred: bool = False):
    """Queue one recompute of ``spec`` unless one is queued or running (its lock); deferred:
    DEFER_SECONDS later, and only with a backend that can defer. The task's status, or None
    when nothing was queued."""
    run_after = None
    if deferred:
        if not recompute.get_backend().supports_defer:
            return None
        run_after = timezone.now() + timedelta(seconds=DEFER_SECONDS)
    if not cache.add(spec.lock_key, "queued", timeout=LOCK_SECONDS + DEFER_SECONDS):
        return None
    try:
        queued = recompute.using(run_after=run_after) if run_after else recompute
        return queued.enqueue(spec.organisation_id, spec.moment, spec.method, spec.tz).status
    except Exception:
        cache.delete(spec.lock_key)
        logger.exception("Could not queue the recompute of %s", spec.key)
        return None


@task
def recompute(organisation_id: int, moment: str, method: str | None, tz: str) -> str | None:
    """Compute and store one result (queued by ``_queue``); its computed_at, or None when the
    organisation is gone."""
    spec = Spec(organisation_id, moment, method, tz)
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    try:
        if organisation is None:
            return None
        with timezone.override(tz):
            standard = moment == NOW and method is None
            head, _pieces_made = _compute_and_store(
                organisation, spec, before_publish=_prewarm if standard else None
            )
    finally:
        cache.delete(spec.lock_key)
    if moment == NOW and cache.get(_token_key(organisation_id)) != head.token:
        _queue(spec, deferred=True)  # answers arrived while computing
    return head.computed_at.isoformat()
