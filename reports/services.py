"""The engine's wiring: read the answers of all methods from the database into the engine's
table, grade them with the organisation's settings, and keep the results in the cache until new
answers or new settings arrive.

Pages call ``grades_for`` / ``trend_for``; nothing here renders HTML.
"""

from __future__ import annotations

import contextvars
import hashlib
import io
import secrets
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
from django.core.cache import cache
from django.db import connections, transaction
from django.utils import timezone

from asiakaskunto.models import SCORING_COLUMNS, Answer, Organisation
from asiakaskunto.process_cache import ProcessLRU

from .models import ScoringConfig
from .scoring import (
    COLUMNS,
    Grades,
    ScoringSettings,
    Trend,
    add_months,
    grade,
    months_between,
    trend,
)

# A computed result is reused for at most this long even without new answers, so that
# "as of now" moves on (recency weights change slowly: half-life is months).
CACHE_SECONDS = 10 * 60


def scoring_settings_for(organisation: Organisation) -> ScoringSettings:
    """The organisation's scoring settings: stored changes over the defaults, and its target level."""
    config = ScoringConfig.objects.filter(organisation=organisation).only("values").first()
    values = dict(config.values) if config else {}
    values["target_level"] = organisation.target_level
    return ScoringSettings.from_dict(values)


def save_scoring_settings(
    organisation: Organisation, scoring: ScoringSettings, *, user=None
) -> None:
    """Store leadership's settings (the target level on the organisation) and drop cached grades."""
    values = scoring.to_dict()
    target_level = values.pop("target_level")
    with transaction.atomic():
        ScoringConfig.objects.update_or_create(
            organisation=organisation, defaults={"values": values, "updated_by": user}
        )
        if organisation.target_level != target_level:
            organisation.target_level = target_level
            organisation.save(update_fields=["target_level"])
    invalidate_scores(organisation.pk)


def load_answers(
    organisation: Organisation, *, start: datetime, end: datetime, answers=None
) -> pd.DataFrame:
    """The answers of all methods with start ≤ answered_at ≤ end as the engine's table, in one query.

    ``answers`` may narrow the queryset first (e.g. one team's, or one method's answers). The
    code columns come as categoricals (a few distinct values in a million rows).
    """
    queryset = answers if answers is not None else Answer.objects.all()
    rows = queryset.for_organisation(organisation).in_window(start, end).scoring_rows()
    frame = _read_postgresql(rows) if connections[rows.db].vendor == "postgresql" else None
    if frame is None:
        frame = pd.DataFrame.from_records(
            list(rows.iterator(chunk_size=20_000)), columns=SCORING_COLUMNS
        )
    if frame.empty:
        return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in COLUMNS.items()})
    frame["answered_at"] = pd.to_datetime(frame["answered_at"], utc=True, format="ISO8601")
    frame["salesperson"] = frame["salesperson"].astype("Int64")
    frame["value"] = frame["value"].astype("float64")
    for name in _CODE_COLUMNS:
        frame[name] = frame[name].astype("category")
    return frame


_CODE_COLUMNS = ("method", "area", "question", "metric", "scale")


def _read_postgresql(rows) -> pd.DataFrame | None:
    """The same query streamed with COPY … TO STDOUT into pandas' C CSV reader: about five
    times faster than building a million row tuples (None when the driver has no COPY)."""
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        raw = getattr(cursor, "cursor", cursor)
        if not hasattr(raw, "copy_expert"):
            return None
        query = raw.mogrify(sql, params).decode()
        buffer = io.BytesIO()
        raw.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, NULL '\\N')", buffer)
    buffer.seek(0)
    return pd.read_csv(
        buffer,
        names=SCORING_COLUMNS,
        header=None,
        na_values={"salesperson": ["\\N"]},
        keep_default_na=False,
        dtype={
            "submission": "int64",
            "salesperson": "Int64",
            "team": "int64",
            "value": "float64",
            "why": "object",
            **dict.fromkeys(_CODE_COLUMNS, "category"),
        },
    )


class _SharedRead:
    """Answers read once from the database for several results of one page (see shared_read)."""

    def __init__(self, organisation: Organisation, method: str | None):
        self.organisation_id = organisation.pk
        self.method = method
        self.start = self.end = None
        self.frame: pd.DataFrame | None = None
        self.scoring: ScoringSettings | None = None
        # Read before any answer or setting is: every result of the block is made from data
        # at least this new, so it is kept under this generation (or an older one), never
        # under one that a change committed during the block has started.
        self.generation = _version(organisation.pk)

    def answers(self, organisation, *, start, end, method, needs):
        """The answers between start and end, read once for the union of every range ``needs``
        lists (the ranges this page will ask for), then sliced in memory."""
        if organisation.pk != self.organisation_id or method != self.method:
            return None
        if self.frame is None:
            ranges = needs()
            self.start, self.end = min(r[0] for r in ranges), max(r[1] for r in ranges)
            self.frame = load_answers(
                organisation, start=self.start, end=self.end, answers=_method_answers(method)
            )
        if start < self.start or end > self.end:
            return None
        at = self.frame["answered_at"]
        return self.frame[(at >= start) & (at <= end)]


_shared_read: contextvars.ContextVar[tuple[_SharedRead, Callable] | None] = contextvars.ContextVar(
    "shared_read", default=None
)


@contextmanager
def shared_read(
    organisation: Organisation, *, as_of: list[datetime | None], trend_months=(), method=None
):
    """Within this block, the results that are not cached yet come from one read of the answers
    instead of one read each (a dashboard needs grades now, at the previous period's end, and a
    trend). ``as_of`` and ``trend_months`` (start, end) name what the block will ask for."""

    reader = _SharedRead(organisation, method)

    def needs():
        scoring = _settings(organisation)
        # "Now" is taken again by each result a moment later: read a minute beyond it.
        later = timezone.now() + timedelta(minutes=1)
        ranges = [_grades_range(moment or later, scoring) for moment in as_of]
        if trend_months:
            ranges.append(_trend_range(months_between(*trend_months), scoring))
        return ranges

    token = _shared_read.set((reader, needs))
    try:
        yield
    finally:
        _shared_read.reset(token)


def _generation(organisation) -> str:
    """The organisation's generation, as read when the enclosing shared_read block began."""
    shared = _shared_read.get()
    if shared is not None and shared[0].organisation_id == organisation.pk:
        return shared[0].generation
    return _version(organisation.pk)


def _settings(organisation) -> ScoringSettings:
    """The organisation's scoring settings, read once inside a shared_read block."""
    shared = _shared_read.get()
    if shared is None or shared[0].organisation_id != organisation.pk:
        return scoring_settings_for(organisation)
    reader = shared[0]
    if reader.scoring is None:
        reader.scoring = scoring_settings_for(organisation)
    return reader.scoring


def _answers_for(organisation, *, start, end, method) -> pd.DataFrame:
    shared = _shared_read.get()
    if shared is not None:
        reader, needs = shared
        frame = reader.answers(organisation, start=start, end=end, method=method, needs=needs)
        if frame is not None:
            return frame
    return load_answers(organisation, start=start, end=end, answers=_method_answers(method))


def _method_answers(method: str | None):
    return Answer.objects.filter(method=method) if method else None


def _grades_range(moment: datetime, scoring: ScoringSettings) -> tuple[datetime, datetime]:
    return moment - timedelta(days=scoring.window_days), moment


def _trend_range(months: list[date], scoring: ScoringSettings) -> tuple[datetime, datetime]:
    first = timezone.make_aware(datetime(months[0].year, months[0].month, 1))
    last_month = months[-1]
    next_month = add_months(last_month, 1)
    return first - timedelta(days=scoring.window_days), timezone.make_aware(
        datetime(next_month.year, next_month.month, next_month.day)
    )


def _version_key(organisation_id: int) -> str:
    # "generation", not the former "version" counter: a process of the previous release that
    # increments the key must not find one of this release's random tokens there.
    return f"scores-generation:{organisation_id}"


def _version(organisation_id: int) -> str:
    key = _version_key(organisation_id)
    version = cache.get(key)
    if version is None:
        # The one added, or else the one another request added meanwhile. (A cache that is
        # unreachable "adds" every time: each request then has a generation of its own, and
        # nothing cached under an old one is taken for current.)
        new_version = secrets.token_hex(8)
        version = new_version if cache.add(key, new_version, timeout=None) else cache.get(key, "")
    return version


def scores_version(organisation_id: int) -> str:
    """The organisation's generation of cached results: it changes whenever grades go stale,
    so that anything derived from them can be cached under it too (e.g. dashboard figures)."""
    return _version(organisation_id)


def invalidate_scores(organisation_id: int) -> None:
    """Forget every cached grade of the organisation (new answers, edited answers, new settings).

    A new random generation rather than a counter: one write to the cache (a shared cache's
    increment costs two round trips), and generations need only differ, not count.
    """
    cache.set(_version_key(organisation_id), secrets.token_hex(8), timeout=None)


def invalidate_scores_on_commit(organisation_id: int) -> None:
    transaction.on_commit(lambda: invalidate_scores(organisation_id))


# {slot: (generation, made at, result)}: the latest grades, trends and dashboard figures this
# process has made or read. Every home page and salesperson page needs the whole organisation's
# grades, and unpickling them from the cache cost about 160 ms at 400 salespeople.
_RESULTS_HERE = ProcessLRU(16)


def kept_result(slot: tuple, generation: str, build: Callable[[], Any]) -> Any:
    """The result for ``slot`` (what it is: kind, organisation, moment, filters) made under the
    organisation's ``generation`` (``scores_version``): this process's own copy, else the shared
    cache's, else ``build()``, then kept in both. Never one of another generation, nor one
    made more than CACHE_SECONDS ago.

    The shared cache holds one entry per slot, with its generation inside, not one per
    generation: every new answer starts a generation, and an in-memory cache would otherwise
    keep every superseded copy of the organisation's grades until it filled up.
    Results are read only, never changed: requests share them.
    """
    now = time.time()

    def usable(entry) -> bool:
        return entry is not None and entry[0] == generation and now - entry[1] < CACHE_SECONDS

    kept = _RESULTS_HERE.get(slot)
    if usable(kept):
        return kept[2]
    # v2: a Why carries the score and value of its answer.
    key = "result:v2:" + hashlib.sha256(repr(slot).encode()).hexdigest()
    entry = cache.get(key)
    if not usable(entry):
        entry = (generation, now, build())
        cache.set(key, entry, CACHE_SECONDS)
    _RESULTS_HERE.put(slot, entry)
    return entry[2]


def _as_of_key(as_of: datetime | None) -> str:
    return "now" if as_of is None else as_of.isoformat()


def grades_for(
    organisation: Organisation, *, as_of: datetime | None = None, method: str | None = None
) -> Grades:
    """The grades of every salesperson, team and the organisation as of ``as_of`` (default: now).

    Cached per organisation, settings version, moment and method filter. With ``method`` only that
    method's answers are graded (its scores per area; the evidence rule then usually says
    "not enough data", which is the honest answer for one method alone).
    """
    slot = ("grades", organisation.pk, _as_of_key(as_of), method or "")

    def build() -> Grades:
        scoring = _settings(organisation)
        moment = as_of or timezone.now()
        start, end = _grades_range(moment, scoring)
        frame = _answers_for(organisation, start=start, end=end, method=method)
        return grade(frame, settings=scoring, as_of=moment)

    return kept_result(slot, _generation(organisation), build)


def trend_for(
    organisation: Organisation,
    *,
    start: date,
    end: date,
    method: str | None = None,
) -> Trend:
    """Month-end results from the month of ``start`` to the month of ``end``, the window sliding."""
    slot = ("trend", organisation.pk, f"{start:%Y-%m}:{end:%Y-%m}", method or "")

    def build() -> Trend:
        scoring = _settings(organisation)
        months = months_between(start, end)
        first, last = _trend_range(months, scoring)
        frame = _answers_for(organisation, start=first, end=last, method=method)
        return trend(
            frame, settings=scoring, months=months, tz=timezone.get_current_timezone_name()
        )

    return kept_result(slot, _generation(organisation), build)
