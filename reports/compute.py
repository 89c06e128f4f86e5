"""One computation of the engine's results for an organisation: grades at one or more moments and,
optionally, a month-end trend, in one call.

This is the seam between the database and the pure engine (``reports.scoring``): callers say
explicitly everything they need in one call, and nothing is cached here (caching is the
reporting layer's business).

The path (``compute``): one lean read, one pass for every moment. The answers of the whole span
the moments need (now, the previous period's end, each month end of a trend, and a window
before each) are read once, as integer codes (question, ``Answer.kind``: method/area/metric/scale
as one number the database keeps, value) with their submissions (salesperson or team, time): on
PostgreSQL the codes each submission keeps of its answers (``answer_codes``, kept by the database
itself: migration asiakaskunto 0011), sent in PostgreSQL's binary COPY, elsewhere the answer
rows: no strings compared and no per-row Python objects, read in place with numpy. The why
texts are the only text the results show, and only answers below the target floor in a graded
window can show one, so only those few are read. The engine's own
pieces then run once over all the moments: DESIGN's recency weight factorises,
0.5^((T−t)/h) = 0.5^((T−r)/h)·0.5^((r−t)/h), so every answer is summed once into the elementary
interval between window edges it falls in and each window combines its intervals
(``engine.IntervalSums``); membership, pooling, scoring, levels, targets and the trend are the
same code the row path runs (``engine``, ``grading.build_grades``, ``trend.trend_columns``): the
rules exist once.

Memory: the answer rows are made and summed a part at a time (``_Answers``, PART_ROWS rows):
the interval tables (``IntervalSums.add``) and the graded moments' question sums
(``QuestionSums.plus``) add up, so only one part's per-answer arrays are alive at once, beside
the tables and the submissions (the peak with every row alive → by parts: 1M answers 278 →
243 MiB, 10M 1,424 → 870 MiB). Within a part the arrays are narrow (32-bit where the values
allow; the few why texts kept apart from the rows), each column is reordered on its own; a
part's rows are added into the tables one by one where they are fewer than the tables' cells
(``np.add.at``), not counted into whole new tables; the interval tables hold
only the (area, method) pairs that occur and go once the trend is made, before its frames and
the results are built; the C heap's free pages are handed back between the stages
(``_give_back_free_memory``).

The salespeople's results stay rows of numbers (``grading.PeopleRows``) until they are read:
``Grades.people`` makes each ``PersonResult`` when first asked for. A chain's 2,000 people's
result objects (some 90,000 small objects) were the largest cost after the read, built here
and pickled into the stored result, while a page reads one team's.

Why not let the database add up the sums? Measured on the 2-core machine with 1M answers
(bench/bench_recompute.py): a GROUP BY per salesperson × method × area × interval (and one per
question for the graded moments, and the submissions) kept PostgreSQL busy longer than it takes
to send the lean rows, because at 2,000 salespeople over 50 intervals the groups are nearly as
many as the answers; the numpy sums over the lean rows take tens of milliseconds.

Nor would a rollup of closed months kept beside the answers: every window is 365 days ending
at an arbitrary moment, so each of a trend's 24 windows starts inside some month, and together
they start inside every month of the span; only sums per day or finer would serve them, and at
a chain's pace those are as many as the answers.

Where the time goes (2-core machine, bench/bench_recompute.py; the same machine's speed varies
by a third or more from hour to hour, so figures are compared only with ones measured beside
them). The process's own CPU is what the whole computation waits on, so the read hands as much
as it can to the database, on connections of its own: the submissions with their answers' codes
a range of submission ids at a time, each range one message (``_Reader._coded``), on two
connections, while a third reads the why texts (by a partial index of the answers with one);
membership is found in a thread while the parts are summed. At 10M answers (20,000
salespeople), 6.9-8.0 s in all (PostgreSQL's CPU some 3 s; the answer rows read as in session
10: 10.1-12.7 s beside it): the reads 2.2-3.6 s (4.7-7.1 s from the answer rows, whose codes
PostgreSQL made at each read), the first pass over the codes 0.3-0.6 s, the parts' interval and
question sums 2 s (membership 0.8-1.25 s beside them), scoring the 26 moments and the trend 1.5
s, the results 0.25 s. At 1M answers 0.64 s.

``compute_rows`` is the former path (every row of every column read into pandas, then ``grade``
and ``trend`` per moment): the reference the tests hold ``compute`` to, and the bench's "before".
"""

from __future__ import annotations

import contextlib
import struct
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import partial

import numpy as np
from django.db import connections
from django.utils import timezone

from asiakaskunto.db import reporting_database
from asiakaskunto.models import ANSWER_KIND_PARTS, SCALE_RANGES, Answer, Organisation, Question

from .scoring import (
    AREAS,
    METHODS,
    METRICS,
    SCALES,
    AnswersError,
    Grades,
    ScoringSettings,
    Trend,
    add_months,
    grade,
    month_end,
    normalise,
    trend,
)
from .scoring import engine as E
from .scoring.answers import Prepared
from .scoring.grading import (
    as_of_ns,
    build_grades,
    question_sums,
    unit_question_sums,
)
from .scoring.trend import trend_columns, trend_frames


@dataclass(frozen=True, slots=True)
class Computed:
    """``grades[i]`` is the grading as of ``as_of[i]``; ``trend`` the month-end results of the
    months asked for (None when none were)."""

    grades: tuple[Grades, ...]
    trend: Trend | None


def compute(
    organisation: Organisation,
    *,
    scoring: ScoringSettings,
    as_of: Sequence[datetime],
    trend_months: Sequence[date] = (),
    method: str | None = None,
    tz: str | None = None,
    people_moments: int | None = None,
) -> Computed:
    """Grades of every salesperson, team and the organisation as of each moment of ``as_of``
    (timezone-aware), and the trend of ``trend_months`` (first days of months, ascending; month
    ends in ``tz``, default the current time zone). ``method``: only that method's answers.
    ``people_moments``: only the first that many moments get each salesperson's own result
    (default all); the later ones the teams' and the organisation's (whose level counts still
    count everyone) — a dashboard compares its groups with the previous period, not people.

    One lean read for every moment (see the module docstring); the same results as
    ``compute_rows`` (numbers within 1e-9)."""
    try:
        return _compute(organisation, scoring, as_of, trend_months, method, tz, people_moments)
    finally:
        # Only now is every per-answer array of the computation gone: their pages back too.
        _give_back_free_memory()


def _compute(organisation, scoring, as_of, trend_months, method, tz, people_moments) -> Computed:
    if not as_of and not trend_months:
        return Computed(grades=(), trend=None)
    tz = tz or timezone.get_current_timezone_name()
    months = [date(m.year, m.month, 1) for m in trend_months]
    trend_as_of = [month_end(m, tz) for m in months]
    graded_ns = [as_of_ns(moment) for moment in as_of]
    all_ns = np.array(graded_ns + [as_of_ns(m) for m in trend_as_of], dtype=np.int64)
    alias = reporting_alias()
    floor = scoring.levels[scoring.target_level].no_area_below
    windows = E.make_windows(all_ns, scoring)
    reader = _Reader(connections[alias], organisation.pk, method, scoring)
    try:
        answers = reader.answers(windows, np.array(graded_ns, dtype=np.int64), floor)
    except BaseException:
        # The read's error is the one to tell: putting the settings back fails too when it
        # left the caller's transaction aborted (whose rollback discards them anyway).
        with contextlib.suppress(Exception):
            reader.close()
        raise
    reader.close()
    # The answer rows come a part at a time (``_Answers``) and are summed into the interval
    # tables and the graded moments' question sums; only a part's rows are alive at once.
    try:
        prep = answers.units
        # Membership (sorts and searches that numpy runs without the GIL) in a thread while
        # the parts are summed, per unit: the question sums are pooled by it afterwards.
        membership = _in_thread(E.membership, prep, all_ns, scoring)
        tables = E.IntervalSums.of_submissions(prep, windows, answers.pairs)
        own = [E.make_windows(all_ns[k : k + 1], scoring) for k in range(len(as_of))]
        questions: list = [None] * len(as_of)
        try:
            for rows in answers.parts():
                tables.add(rows, scoring)
                for k, window in enumerate(own):
                    q = unit_question_sums(rows, window, floor)
                    questions[k] = q if questions[k] is None else questions[k].plus(q)
                rows = q = None
                _give_back_free_memory()
        finally:
            member_team = membership()
    finally:
        answers.close()
    answers = None  # (its lookups and why texts: at 10M answers some 90 MB)
    _give_back_free_memory()
    n_p, n_t = prep.n_people, len(prep.teams)
    questions = [
        question_sums(prep, own[k], member_team[k], floor)  # (no answers)
        if q is None
        else q.entities(member_team[k], n_p, n_t)
        for k, q in enumerate(questions)
    ]

    def sums(moments: list[int]) -> E.Sums:
        return E.to_entities(tables.window(moments), prep, member_team[moments])

    # The order keeps the peak memory low: the trend is the last use of the interval tables,
    # which go before the trend's frames and the results are built.
    graded = [(E.score(sums([k]), scoring), questions[k]) for k in range(len(as_of))]
    del questions
    # The trend a few months at a time: the scored arrays of thousands of people are large.
    n_g, parts = len(as_of), []
    for first in range(0, len(months), TREND_MONTHS_AT_A_TIME):
        part = slice(first, first + TREND_MONTHS_AT_A_TIME)
        moments = list(range(n_g + first, n_g + min(first + TREND_MONTHS_AT_A_TIME, len(months))))
        scored = E.score(sums(moments), scoring)
        parts.append(
            trend_columns(
                prep, months[part], trend_as_of[part], member_team[moments], scored, scoring
            )
        )
    tables = None
    _give_back_free_memory()
    computed_trend = trend_frames(parts, months, trend_as_of) if months else None
    grades = []
    for k, moment in enumerate(as_of):
        scored, questions = graded[k]
        graded[k] = None
        whole = people_moments is None or k < people_moments
        grades.append(
            build_grades(prep, member_team[k], scored, questions, scoring, moment, people=whole)
        )
        del scored, questions
    return Computed(grades=tuple(grades), trend=computed_trend)


def _in_thread(function, *args, name: str = "reports-compute"):
    """``function(*args)`` started in a thread; returns a function that waits for its result
    (or raises its error)."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = function(*args)
        except BaseException as error:  # handed to the caller
            outcome["error"] = error

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()

    def result():
        thread.join()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]

    return result


def _give_back_free_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc's ``malloc_trim``; elsewhere
    nothing). Once glibc has raised its mmap threshold, numpy's large temporaries come from the
    heap, and the heap keeps freed pages: without this the process would keep the read's peak
    through the rest of the computation and beyond. A few milliseconds each."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _libc():
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


_LIBC = _libc()


# Months of a trend scored together (bounds the memory of the scored arrays).
TREND_MONTHS_AT_A_TIME = 3


def compute_rows(
    organisation: Organisation,
    *,
    scoring: ScoringSettings,
    as_of: Sequence[datetime],
    trend_months: Sequence[date] = (),
    method: str | None = None,
    tz: str | None = None,
) -> Computed:
    """`compute` by the row path: every answer row of the windows read into pandas, then the
    row engine (`grade`, `trend`) per moment. The reference `compute` is tested against."""
    from .services import load_answers

    tz = tz or timezone.get_current_timezone_name()
    ranges = [(moment - timedelta(days=scoring.window_days), moment) for moment in as_of]
    if trend_months:
        ranges.append(_trend_range(trend_months, scoring, tz))
    if not ranges:
        return Computed(grades=(), trend=None)
    start, end = min(r[0] for r in ranges), max(r[1] for r in ranges)
    answers = Answer.objects.using(reporting_database())  # a replica when there is one
    answers = answers.filter(method=method) if method else answers
    frame = load_answers(organisation, start=start, end=end, answers=answers)
    grades = tuple(grade(frame, settings=scoring, as_of=moment) for moment in as_of)
    computed_trend = (
        trend(frame, settings=scoring, months=list(trend_months), tz=tz) if trend_months else None
    )
    return Computed(grades=grades, trend=computed_trend)


def _trend_range(
    months: Sequence[date], scoring: ScoringSettings, tz: str
) -> tuple[datetime, datetime]:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(tz)
    first = datetime(months[0].year, months[0].month, 1, tzinfo=zone)
    following = add_months(months[-1], 1)
    last = datetime(following.year, following.month, 1, tzinfo=zone)
    return first - timedelta(days=scoring.window_days), last


def reporting_alias() -> str:
    """The database alias the reports read from: a replica when there is one (chosen before the
    read's own transaction starts, so that it is not mistaken for the caller's)."""
    return reporting_database()


# --- the lean read ---------------------------------------------------------------------------

# PostgreSQL's binary COPY sends timestamps as µs since 2000-01-01 UTC.
_PG_EPOCH_US = 946_684_800 * 10**6
_ANSWER = Answer._meta.db_table
_SUBMISSION = Answer._meta.get_field("submission").related_model._meta.db_table
_QUESTION = Question._meta.db_table
# The join's hash table stays in memory (the default 4 MB spills it to disk); no JIT for one-off
# queries.
_TUNING = {"work_mem": "256MB", "jit": "off"}
# Bytes of COPY output turned into columns at a time.
_SLICE_BYTES = 4 << 20
# The numpy type a fetched column is returned in (PostgreSQL sends big-endian).
_NATIVE = {"i4": np.int32, "i8": np.int64, "f8": np.float64}
_MAX_VALUE = max(high for _, high in SCALE_RANGES.values())
# An answer's question, kind and value travel as one number (question · 2¹² + kind · 2⁴ +
# value; −1 for a kind or value that does not fit): PostgreSQL's time goes to sending each
# column of each row, and two columns instead of four cut the COPY of 1M answers from
# 0.4-0.55 s to 0.3-0.38 s of its CPU (and a third of the bytes).
_VALUE_BITS, _KIND_BITS = 4, 8
_QUESTION_SHIFT = _VALUE_BITS + _KIND_BITS
_VALUE_MASK, _KIND_MASK = (1 << _VALUE_BITS) - 1, (1 << _KIND_BITS) - 1
if _MAX_VALUE > _VALUE_MASK or np.prod([len(v) for _, v in ANSWER_KIND_PARTS]) > _KIND_MASK + 1:
    raise ImportError("An answer's value or kind no longer fits its bits: widen them.")
if len(METHODS) > 3:  # a submission's method: 2 bits beside its team, 3 for any other
    raise ImportError("A submission's method no longer fits its bits: widen them.")


def _tune(connection, settings: dict[str, str]) -> dict[str, str]:
    """Set PostgreSQL settings on the connection (for its transaction only when it is in one);
    returns the values they had."""
    names = list(settings)
    values = ", ".join(f"current_setting('{name}')" for name in names)
    sets = ", ".join("set_config(%s, %s, %s)" for _ in names)
    params = [p for name in names for p in (name, settings[name], connection.in_atomic_block)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {values}, {sets}", params)
        before = cursor.fetchone()[: len(names)]
    return dict(zip(names, before, strict=True))


# A submission's unit key (salesperson id, or −team id), and its team and method as one number,
# team · 4 + method (3: another method), as question, kind and value travel in the answers'
# codes: at 10M answers 4 columns took PostgreSQL 1.9-2.1 s against 2.6 s for 5.
_UNIT_KEY = "COALESCE(s.salesperson_id, -s.team_id)"
_TEAM_AND_METHOD = (
    "CAST(s.team_id AS BIGINT) * 4 + CASE s.method "
    + " ".join(f"WHEN '{m}' THEN {i}" for i, m in enumerate(METHODS))
    + " ELSE 3 END"
)


def _team_and_method(both: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Team and method code (−1: none of METHODS) of ``_TEAM_AND_METHOD`` values (``both`` is
    reused for the teams)."""
    method = both & 3
    method[method == 3] = -1
    both >>= 2
    return both, method


def _units(people: np.ndarray, teams: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Unit index of the database's unit keys: salesperson id, or −team id."""
    person = key > 0
    out = np.empty(len(key), dtype=np.int64)
    out[person] = np.searchsorted(people, key[person])
    out[~person] = len(people) + np.searchsorted(teams, -key[~person])
    return out


def _us_bounds(windows: E.Windows) -> np.ndarray:
    """The interval edges in whole µs (the database's resolution): t_ns ≥ p ⇔ t_µs ≥ ⌈p/1000⌉."""
    return -(-windows.points // 1000)


def _dense(count: int, low: int, high: int, share: float = 0.5) -> bool:
    """Whether ``count`` submissions with ids from ``low`` to ``high`` are at least ``share`` of
    the ids between: then their answers are read by that id range, without the join."""
    return count > 0 and count >= share * (high - low + 1)


def _aware(us: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=int(us))


def _graded_only(
    texts: list[tuple[int, int, str]], submissions: list[np.ndarray], graded: tuple[int, int] | None
) -> list[tuple[int, int, str]]:
    """The why texts (submission, question, why) of the span's submissions (``submissions``:
    id first, time in ns last) answered in the graded windows' span ``graded`` (ns, from-to)."""
    if not texts or graded is None:
        return []
    sid, at = submissions[0], submissions[-1]
    ours = np.sort(sid[(at >= graded[0]) & (at < graded[1])])
    _, keep = E.find_sorted(ours, np.array([row[0] for row in texts], dtype=np.int64))
    return [row for row, kept in zip(texts, keep.tolist(), strict=True) if kept]


class _Reader:
    """The queries of the lean read on one connection (PostgreSQL or SQLite)."""

    def __init__(self, connection, organisation_id: int, method: str | None, scoring):
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.organisation_id = organisation_id
        self.method = method
        self.scoring = scoring
        connection.ensure_connection()
        # For this read only: close() puts the settings back.
        self._restore = _tune(connection, _TUNING) if self.postgres else None

    def close(self) -> None:
        if self._restore:
            _tune(self.connection, self._restore)

    # SQL pieces --------------------------------------------------------------------------------

    def _time_us(self) -> str:
        """answered_at as integer µs since 1970 (PostgreSQL: the raw timestamp, see _PG_EPOCH_US)."""
        if self.postgres:
            return "s.answered_at"
        # Django stores 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC; strftime would round the fraction.
        return (
            "(CAST(strftime('%%s', substr(s.answered_at, 1, 19)) AS INTEGER) * 1000000"
            " + CAST(substr(s.answered_at || '.000000', 21, 6) AS INTEGER))"
        )

    def _where(self, windows: E.Windows, params: list, *, method: bool = True) -> str:
        """The organisation's answers (of the method) in the windows' span."""
        bounds = _us_bounds(windows)
        ops = self.connection.ops
        params += [
            self.organisation_id,
            ops.adapt_datetimefield_value(_aware(bounds[0])),
            ops.adapt_datetimefield_value(_aware(bounds[-1])),
        ]
        sql = "s.organisation_id = %s AND s.answered_at >= %s AND s.answered_at < %s"
        if self.method and method:
            params.append(self.method)
            sql += " AND a.method = %s"
        return sql

    def _scores(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every (scale, value) the database allows (SCALE_RANGES) and its normalised score
        (unclipped)."""
        scales, values = [], []
        for s, name in enumerate(SCALES):
            lo, hi = SCALE_RANGES[name]
            scales += [s] * (hi - lo + 1)
            values += list(range(lo, hi + 1))
        scales, values = np.array(scales), np.array(values)
        return scales, values, normalise(scales, values.astype(np.float64), self.scoring)

    def answers(self, windows: E.Windows, graded_ns: np.ndarray, floor: float) -> _Answers:
        """Every answer of the windows' span as integer codes with its submission, and in one
        query the question codes and the why texts of only the answers that may explain a gap
        (below the floor, graded span). The caller closes it.

        PostgreSQL: the submissions with their answers' codes (``_coded``), while the texts
        are read on another connection (``_beside``). No transaction: each read sees what is
        committed when it runs: an answer whose submission went meanwhile is left out below,
        and a submission that came meanwhile has no answers here, so it is no evidence.
        SQLite: the answer rows (``_answers_query``), the submissions, then the texts."""
        graded = self._graded_bounds(graded_ns)
        span, graded_span = self._spans(windows, graded)
        side = self._beside(partial(self._texts, graded_ns, floor, graded_span))
        try:
            if self.postgres:
                copied = self._coded(windows, span)
                submissions = copied.submissions()
            else:
                sql, params = self._answers_query(windows, span)
                copied = self._copy(sql, params, _I8)
                submissions = self._submissions(windows, self.connection)
        except BaseException:
            # Waited for all the same (its connection closed); the answers' error is the one
            # to tell: the other may only follow from it (a transaction it left aborted).
            with contextlib.suppress(BaseException):
                side()
            raise
        try:
            codes, texts = side()
            texts = _graded_only(texts, submissions, graded)
            return _Answers(self, copied, submissions, codes, texts)
        except BaseException:
            copied.close()
            raise

    def _spans(
        self, windows: E.Windows, graded: tuple[int, int] | None
    ) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
        """The windows' span's submissions, and those of the graded span ``graded`` (ns; None:
        none) among them: each how many, the lowest and the highest id (they choose how the
        answers and the why texts are read)."""
        params: list = []
        where = self._where(windows, params, method=False)
        if graded is None:
            inside = "FALSE"
        else:
            ops = self.connection.ops
            inside = "s.answered_at >= %s AND s.answered_at < %s"
            params = [
                ops.adapt_datetimefield_value(_aware(graded[0] // 1000)),
                ops.adapt_datetimefield_value(_aware(graded[1] // 1000)),
            ] * 3 + params
        graded_ids = ", ".join(
            f"{f}(CASE WHEN {inside} THEN s.id END)" for f in ("COUNT", "MIN", "MAX")
        )
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {graded_ids}, COUNT(*), MIN(s.id), MAX(s.id) FROM {_SUBMISSION} s"
                f" WHERE {where}",
                params,
            )
            row = cursor.fetchone()
        return row[3:], row[:3]

    def _answers_query(self, windows: E.Windows, span: tuple[int, int, int]) -> tuple[str, list]:
        """SQLite: the query of the answers' columns (submission; question, kind and value
        packed) of the windows' span: a superset of them; ``_Answers`` keeps only those of the
        span's submissions.

        When the span's submissions are at least half of the submission ids between their
        lowest and highest (an organisation that writes most of what the database holds), the
        answers are read by that submission id range alone: the answers table without the
        join to the submissions. Otherwise (a small organisation among larger ones) the range
        would hold mostly others' answers, and the query joins."""
        columns = (
            "SELECT CAST(a.submission_id AS BIGINT) AS s, CASE WHEN a.kind >= 0 AND a.kind <="
            f" {_KIND_MASK} AND a.value >= 0 AND a.value <= {_VALUE_MASK} THEN"
            f" CAST(a.question_id AS BIGINT) * {1 << _QUESTION_SHIFT}"
            f" + a.kind * {1 << _VALUE_BITS} + a.value ELSE -1 END AS p"
        )
        count, low, high = span
        params: list = []
        ids = (low, high) if _dense(count, low, high) else None
        return f"{columns} FROM {self._answers_of(windows, params, ids)}", params

    def _coded(self, windows: E.Windows, span: tuple[int, int, int]) -> _Coded:
        """PostgreSQL: the span's submissions, each with its answers' codes (the column
        ``answer_codes`` the database keeps, migration asiakaskunto 0011: question, kind and
        value as one int8 per answer), as `_Coded`. The span's submission ids are cut into
        ranges of about CHUNK_SUBMISSIONS submissions, each range sent as one row of strung
        big-endian int8s (id, unit key, team and method, time, the number of codes, the
        codes), the ranges shared among ANSWER_CONNECTIONS connections (``_beside``: threads
        of their own outside a transaction, else this connection in turn). A submission's
        answers are all in one range, read at one moment.

        Why so: a chain's answers are millions of rows, and making each one's code from the
        answer row at each read was most of PostgreSQL's work (at 10M answers some 3 s of its
        CPU, plus the submissions' 2.6M rows each handed to Python on its own); the codes kept
        per submission are read as they are, 2.6M rows in all, about 1.5 s of its CPU. Why
        not a row per submission: psycopg2 hands each row of a COPY to Python on its own;
        a range in one message is read in place with numpy."""
        count, low, high = span  # the span's submissions: how many, lowest and highest id
        if not count:
            return _Coded([], self.method)
        n_chunks = max(1, -(-count // CHUNK_SUBMISSIONS))
        edges = [low + (high + 1 - low) * k // n_chunks for k in range(n_chunks + 1)]
        ranges = [(k, edges[k], edges[k + 1] - 1) for k in range(n_chunks)]
        ranges = [r for r in ranges if r[2] >= r[1]]
        params: list = []
        where = self._where(windows, params, method=False)
        strung = ", ".join(
            f"string_agg({column}, '')"
            for column in (
                "int8send(CAST(s.id AS BIGINT))",
                f"int8send(CAST({_UNIT_KEY} AS BIGINT))",
                f"int8send({_TEAM_AND_METHOD})",
                "timestamptz_send(s.answered_at)",  # µs since 2000 (see _PG_EPOCH_US)
                "int8send(CAST(COALESCE(octet_length(s.answer_codes), 0) / 8 AS BIGINT))",
                "s.answer_codes",
            )
        )
        query = f"SELECT {strung} FROM {_SUBMISSION} s WHERE {where} AND s.id BETWEEN %s AND %s"
        readers = [
            self._beside(partial(_spool_chunks, query, params, ranges[i::ANSWER_CONNECTIONS]))
            for i in range(min(ANSWER_CONNECTIONS, len(ranges)))
        ]
        spooled, error = [], None
        for reader in readers:  # every one waited for (its connection closed), even on an error
            try:
                spooled.append(reader())
            except BaseException as failure:
                error = error or failure
        if error is not None:
            for spool, _ in spooled:
                spool.close()
            raise error
        return _Coded(spooled, self.method)

    def _graded_bounds(self, graded_ns: np.ndarray) -> tuple[int, int] | None:
        """The graded windows' span (ns, the database's µs resolution), or None (none)."""
        if not len(graded_ns):
            return None
        bounds = _us_bounds(E.make_windows(graded_ns, self.scoring)) * 1000
        return int(bounds[0]), int(bounds[-1])

    def _answers_of(self, windows: E.Windows, params: list, ids: tuple[int, int] | None) -> str:
        """``FROM``'s answers and ``WHERE`` of the windows' span (of the method): by the
        submission id range ``ids`` alone (the caller drops other submissions' answers), or
        (None) joined to the span's submissions."""
        if ids is None:
            where = self._where(windows, params)
            return f"{_ANSWER} a JOIN {_SUBMISSION} s ON s.id = a.submission_id WHERE {where}"
        params += [int(ids[0]), int(ids[1])]
        sql = f"{_ANSWER} a WHERE a.submission_id BETWEEN %s AND %s"
        if self.method:
            params.append(self.method)
            sql += " AND a.method = %s"
        return sql

    def _submissions(self, windows: E.Windows, connection) -> list[np.ndarray]:
        """Every submission of the windows' span: id, unit key (salesperson id, or −team id),
        team, method code (−1: none of METHODS), time (ns) (SQLite; PostgreSQL reads them with
        their answers' codes, ``_coded``)."""
        params: list = []
        where = self._where(windows, params, method=False)
        sql = (
            f"SELECT CAST(s.id AS BIGINT), CAST({_UNIT_KEY} AS BIGINT), {_TEAM_AND_METHOD},"
            f" {self._time_us()} FROM {_SUBMISSION} s WHERE {where}"
        )
        sid, key, team, at = self._fetch(sql, params, ("i8", "i8", "i8", "t"), connection)
        return [sid, key, *_team_and_method(team), at]

    def _texts(
        self, graded_ns: np.ndarray, floor: float, span: tuple[int, int, int], connection
    ) -> tuple[dict[int, str], list[tuple[int, int, str]]]:
        """In one query: the codes of the organisation's questions, and (submission, question,
        why) of the scored answers in the graded windows' span with a why text and a score below
        the floor (the only texts the results can show), and maybe some of other submissions
        (``_graded_only`` drops them).

        As in ``_answers_query``, when the graded span's submissions are nearly all (9 in 10)
        of the ids between their lowest and highest, the answers are read by that id range
        without the join (PostgreSQL's time at 1M answers: 0.25 s against 0.5 s). Nearly all:
        each text read in vain is a Python object, and where submission ids do not follow time
        (the bench's organisations, filled in random order) the graded year's range holds the
        whole two years' texts: at 10M answers that read took 10 s against 2.6 s by the join."""
        params: list = [self.organisation_id]
        sql = f"SELECT q.id, NULL, q.code FROM {_QUESTION} q WHERE q.organisation_id = %s"
        scales, values, x = self._scores()
        low = [
            (SCALES[s], int(v))
            for s, v, xv in zip(scales, values, x, strict=True)
            if xv < floor - E.EPS
        ]
        if len(graded_ns) and low:
            windows = E.make_windows(graded_ns, self.scoring)
            count, first, last = span  # the graded span's submissions
            ids = (first, last) if _dense(count, first, last, share=0.9) else None
            source = self._answers_of(windows, params, ids)
            pairs = " OR ".join("(a.scale = %s AND a.value = %s)" for _ in low)
            for pair in low:
                params += list(pair)
            sql += (
                f" UNION ALL SELECT a.question_id, a.submission_id, a.why FROM {source}"
                f" AND a.area <> '' AND a.why <> '' AND ({pairs})"
            )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        codes = {row[0]: row[2] for row in rows if row[1] is None}
        found = [(row[1], row[0], row[2]) for row in rows if row[1] is not None]
        return codes, found

    def _codes(self, ids: list[int]) -> dict[int, str]:
        """The codes of questions by id (answers to another organisation's questions: none in
        practice, but the read does not assume it)."""
        marks = ", ".join(["%s"] * len(ids))
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT q.id, q.code FROM {_QUESTION} q WHERE q.id IN ({marks})", ids)
            return dict(cursor.fetchall())

    def _beside(self, job):
        """``job(connection)``'s result, as a function to call when it is needed. On PostgreSQL
        outside a transaction the job runs at once in a thread on a connection of its own, so
        that the database works on both cores while the other reads run; inside a
        transaction (a test's, or a caller's) a second connection would not see what the
        transaction wrote, so the job runs on this connection when its result is asked for.
        Either way the same queries, and each sees what is committed when it runs."""
        if (
            not self.postgres
            or self.connection.in_atomic_block
            or not self.connection.get_autocommit()
        ):
            return lambda: job(self.connection)
        alias = self.connection.alias

        def run():
            connection = connections[alias]  # this thread's own
            try:
                _tune(connection, _TUNING)  # (closed afterwards: nothing to put back)
                return job(connection)
            finally:
                connection.close()

        return _in_thread(run, name="reports-read")

    def _fetch(
        self, sql: str, params: list, types: Sequence[str], connection=None
    ) -> list[np.ndarray]:
        """Columns of a query as numpy arrays (on ``connection``, default the reader's)."""
        copied = self._copy(sql, params, types, connection)
        try:
            return next(copied.columns(), None) or [
                np.zeros(0, dtype=np.int64 if kind == "t" else _NATIVE[kind]) for kind in types
            ]
        finally:
            copied.close()

    def _copy(self, sql: str, params: list, types: Sequence[str], connection=None) -> _Copied:
        """The columns of a query (on ``connection``, default the reader's), to be read a part
        at a time. PostgreSQL: binary COPY of fixed-width, non-null columns read in place
        ("t": a timestamp, returned as ns since 1970)."""
        connection = connection or self.connection
        if not self.postgres:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
            out = []
            for i, kind in enumerate(types):
                column = [r[i] for r in rows]
                if kind == "t":
                    out.append(np.array(column, dtype=np.int64) * 1000)
                else:
                    out.append(np.array(column, dtype=_NATIVE[kind]))
            return _Copied(types, arrays=out)
        spool = tempfile.TemporaryFile()
        try:
            with connection.cursor() as cursor:
                _copy_out(cursor, sql, params, spool)
            return _Copied(types, spool=spool)
        except BaseException:
            spool.close()
            raise


_I8 = ("i8", "i8")
# Submissions of the span a range of the read holds (`_Reader._coded`), and the
# connections the ranges are shared among. At 10M answers 80 ranges of some 125,000 answers
# (larger ranges: larger messages, and at 1M answers some 15 MiB more at the peak).
CHUNK_SUBMISSIONS = 32_768
ANSWER_CONNECTIONS = 2


def _spool_chunks(query: str, params: list, ranges, connection) -> tuple:
    """Each range's binary COPY of ``query`` (one row of columns of strung big-endian int8s)
    into an unnamed temporary file as it comes, one after the other: (the file, [(range number,
    [(offset, count) of each column])]) of the ranges with rows (the first column not empty),
    the columns found by ``_strung_columns``."""
    spool, index = tempfile.TemporaryFile(), []
    try:
        with connection.cursor() as cursor:
            for number, low, high in ranges:
                start = spool.tell()
                _copy_out(cursor, query, [*params, low, high], spool)
                end = spool.tell()
                columns = _strung_columns(spool, start, end)
                spool.seek(end)
                if columns[0][1]:
                    index.append((number, columns))
        return spool, index
    except BaseException:
        spool.close()
        raise


def _copy_out(cursor, sql: str, params: list, spool) -> None:
    """Append the binary COPY of ``sql`` with ``params`` (on a Django cursor) to ``spool``; its
    errors as Django's (the COPY goes through the raw cursor)."""
    raw = cursor.cursor
    query = raw.mogrify(sql, params).decode()
    with cursor.db.wrap_database_errors:
        raw.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT binary)", spool)


def _past_header(spool, start: int) -> int:
    """Where the rows of the binary COPY at ``start`` of ``spool`` begin: past its signature,
    flags and header extension (the file is left there)."""
    spool.seek(start)
    head = spool.read(19)
    if len(head) < 19 or not head.startswith(b"PGCOPY\n\xff\r\n\x00"):
        raise ValueError("Unexpected COPY header.")
    at = start + 19 + int.from_bytes(head[15:19], "big")
    spool.seek(at)
    return at


def _strung_columns(spool, start: int, end: int) -> list[tuple[int, int]]:
    """Where in ``spool`` (from ``start`` to ``end``: the binary COPY of one row whose columns
    are big-endian int8s strung together, ``string_agg(int8send(…), '')``) each column's
    values start and how many there are (NULL, no rows: none)."""
    at = _past_header(spool, start)
    (count,) = struct.unpack(">h", spool.read(2))
    at += 2
    columns = []
    for _ in range(count):
        spool.seek(at)
        (length,) = struct.unpack(">i", spool.read(4))
        at += 4
        if length < 0:  # string_agg of no rows
            columns.append((at, 0))
            continue
        if length % 8:
            raise ValueError("Unexpected COPY column: not whole int8s.")
        columns.append((at, length // 8))
        at += length
    spool.seek(at)
    if at + 2 != end or spool.read(2) != b"\xff\xff":
        raise ValueError("Unexpected COPY row layout.")
    return columns


class _Coded:
    """The span's submissions and their answers' codes as `_Reader._coded` spooled them, in the
    order of their ranges (the submission ids'): ``submissions()`` their columns, ``columns``
    the answer rows (submission, code) a number of rows at a time, as `_Copied`'s. ``method``:
    only the answers of that method (the codes hold every answer of a submission)."""

    def __init__(self, spooled: list[tuple], method: str | None):
        self.spools = [spool for spool, _ in spooled]
        pieces = [(number, spool, columns) for spool, index in spooled for number, columns in index]
        self.pieces = [piece[1:] for piece in sorted(pieces, key=lambda piece: piece[0])]
        for _, columns in self.pieces:
            if len(columns) != 6 or len({count for _, count in columns[:5]}) != 1:
                raise ValueError("Unexpected layout of the submissions' COPY.")
        self.keep = None if method is None else METHOD_OF_KIND == METHODS.index(method)

    def close(self) -> None:
        for spool in self.spools:
            spool.close()

    def submissions(self) -> list[np.ndarray]:
        """id, unit key (salesperson id, or −team id), team, method code (−1: none of
        METHODS), time (ns since 1970), as ``_Reader._submissions``."""
        sid, key, team, at = (
            np.concatenate(
                [np.zeros(0, dtype=np.int64)]
                + [_read_int8s(spool, *columns[i]) for spool, columns in self.pieces]
            )
            for i in range(4)
        )
        at += _PG_EPOCH_US
        at *= 1000
        return [sid, key, *_team_and_method(team), at]

    def columns(self, rows: int | None = None) -> Iterator[list[np.ndarray]]:
        """The answer rows' columns (submission id, code) ``rows`` rows at a time (None: all at
        once)."""
        waiting: list[list[np.ndarray]] = []
        have = 0
        for spool, columns in self.pieces:
            counts = _read_int8s(spool, *columns[4])
            codes = _read_int8s(spool, *columns[5])
            if int(counts.sum()) != len(codes) or (counts < 0).any():
                raise ValueError("Unexpected answer codes in the submissions' COPY.")
            a_sub = np.repeat(_read_int8s(spool, *columns[0]), counts)
            del counts
            if self.keep is not None:
                kept = (codes < 0) | self.keep[(codes >> _VALUE_BITS) & _KIND_MASK]
                a_sub, codes = a_sub[kept], codes[kept]
                del kept
            n, first = len(codes), 0
            while first < n:
                count = min(n - first, (rows or n) - have)
                waiting.append([a_sub[first : first + count], codes[first : first + count]])
                have += count
                first += count
                if rows and have == rows:
                    yield _joined(waiting)
                    waiting, have = [], 0
        if have:
            yield _joined(waiting)


def _read_int8s(spool, offset: int, count: int) -> np.ndarray:
    """``count`` big-endian int8s of ``spool`` from ``offset``, as native int64s."""
    out = np.empty(count, dtype=np.int64)
    spool.seek(offset)
    if spool.readinto(out.data.cast("B")) != out.nbytes:
        raise ValueError("Short spool.")
    if sys.byteorder == "little":
        out.byteswap(inplace=True)
    return out


def _joined(pieces: list[list[np.ndarray]]) -> list[np.ndarray]:
    if len(pieces) == 1:
        return pieces[0]
    return [np.concatenate(column) for column in zip(*pieces, strict=True)]


# Answer rows turned into a `Prepared` at a time (bounds the per-answer arrays: the peak
# memory of a large organisation's computation). At 1M answers two parts instead of one took
# the peak from 288 to 243 MiB in the same time; smaller parts gain little more, as the
# interval tables and the submissions stay.
PART_ROWS = 500_000


class _Answers:
    """The lean read's answers, taken apart: ``units`` (the people, teams and submissions with
    answers: a `Prepared` without rows), ``pairs`` (the (area, method) pairs of the scored
    answers), and `parts`: the answer rows as `Prepared`s of those units, PART_ROWS at a time.

    The rows are read twice from the COPY's spool: first only for which submissions have
    answers, which questions and which kinds occur, so that every part is made in the same
    terms; then part by part. Each part is put in canonical order (submission, question), so
    the same rows always give the same floating-point sums; which rows form a part follows
    the order the database sent them in (ranges of submission ids in turn, each in its storage
    order), so another order can change a sum in its last bits (1e-13), far below what a level
    or a target compares with (EPS)."""

    def __init__(self, reader: _Reader, copied: _Copied | _Coded, submissions, codes, texts):
        self.reader, self.copied = reader, copied
        sid, key, team, sub_method, at = submissions
        if len(sid) > 1 and (sid[1:] < sid[:-1]).any():  # (mostly they come in id order)
            order = np.argsort(sid, kind="stable")
            sid, key, team, sub_method, at = (a[order] for a in (sid, key, team, sub_method, at))
            del order
        self.find = _Positions(sid)
        has = np.zeros(len(sid), dtype=bool)
        present = np.zeros(0, dtype=bool)
        kinds = np.zeros(_KIND_MASK + 1, dtype=np.int64)
        for a_sub, packed in copied.columns(PART_ROWS):
            if len(packed) and packed.min() < 0:
                raise AnswersError(
                    "Unknown method, area, metric or scale values, or a value off every scale,"
                    " in the answers."
                )
            position, found, lengths = _runs(self.find, a_sub)
            has[position[found]] = True
            # Only the rows of the span's submissions say which kinds and questions occur (a
            # read by id range also holds other organisations' answers).
            if not found.all():
                packed = packed[np.repeat(found, lengths)]
            del position, found, lengths
            packed >>= _VALUE_BITS
            kinds += np.bincount(packed & _KIND_MASK, minlength=len(kinds))
            packed >>= _KIND_BITS
            used = np.bincount(packed) > 0 if len(packed) else np.zeros(0, dtype=bool)
            if len(used) > len(present):
                present = np.concatenate([present, np.zeros(len(used) - len(present), bool)])
            present[: len(used)] |= used
            del a_sub, packed, used
        # Submissions with answers only, as the row path sees them; ``self.index``: the index
        # among them of each submission read.
        self.index = (np.cumsum(has) - 1).astype(np.int64)
        if not has.all():
            keep = np.flatnonzero(has)
            sid, key, team, sub_method, at = (a[keep] for a in (sid, key, team, sub_method, at))
            del keep
        people = E.unique_values(key[key > 0])
        teams = E.unique_values(team)
        sub_unit = _units(people, teams, key)
        # The questions' ids as their positions among the few ids present, in id order.
        self.ids = ids = np.flatnonzero(present)
        self.position = (np.cumsum(present) - 1).astype(np.int32)
        # Question codes in code order (as prepare's factorize), mapped through the few ids.
        missing = [i for i in ids.tolist() if i not in codes]
        if missing:
            codes |= reader._codes(missing)
        names = np.array([codes[i] for i in ids.tolist()], dtype=str)
        questions, name_index = np.unique(names, return_inverse=True)
        self.q_code = name_index.astype(np.int32)
        scale, area, metric, method = _decode_row(np.flatnonzero(kinds))
        self.pairs = E.scored_pairs(area, method)
        # The why texts, keyed as the rows will be (submission × ids + question position).
        self.w_key, self.w_text = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object)
        if texts:
            w_sub, w_question, w_text = (list(c) for c in zip(*texts, strict=True))
            w_position, known = E.find_sorted(ids, np.array(w_question, dtype=np.int64))
            w_key = np.array(w_sub, dtype=np.int64) * len(ids) + w_position
            order = np.argsort(w_key[known], kind="stable")
            self.w_key = w_key[known][order]
            self.w_text = np.array(w_text, dtype=object)[known][order]
        self.at = at
        self.units = Prepared(
            people=people,
            teams=teams,
            questions=np.asarray(questions, dtype=object),
            sub_at_ns=at,
            sub_unit=sub_unit,
            sub_method=sub_method,
            sub_team=np.searchsorted(teams, team).astype(np.int64),
            **_NO_ROWS,
        )
        self.sub_unit = sub_unit.astype(np.int32)
        # The score of each (scale, value) the database allows (NaN: off the scale).
        scales, values, x = reader._scores()
        self.score_of = np.full((len(SCALES), _MAX_VALUE + 1), np.nan)
        self.score_of[scales, values] = x

    def close(self) -> None:
        self.copied.close()

    def parts(self) -> Iterator[Prepared]:
        """The answer rows, PART_ROWS at a time, each part as a `Prepared` of ``units``."""
        for columns in self.copied.columns(PART_ROWS):
            yield self._part(columns)

    def _part(self, columns: list[np.ndarray]) -> Prepared:
        """One part's rows (``columns``: the COPY's, emptied here so that each goes as soon
        as it is used)."""
        a_sub, packed = columns
        columns.clear()
        # The span's submissions' rows only (a read by id range also holds others').
        position, found, lengths = _runs(self.find, a_sub)
        if not found.all():
            kept = np.repeat(found, lengths)
            a_sub, packed = a_sub[kept], packed[kept]
            position, lengths = position[found], lengths[found]
            del kept
        del found
        # Unpacked in place, the narrow columns through a 16-bit copy (the peak memory).
        a_value = packed.astype(np.int16)
        a_value &= _VALUE_MASK
        packed >>= _VALUE_BITS
        a_kind = packed.astype(np.int16)
        a_kind &= _KIND_MASK
        packed >>= _KIND_BITS
        a_question = self.position[packed]
        del packed
        # Canonical order (as prepare): submission, then question; the same rows of a part
        # always give the same floating-point sums, whatever order the database sent them in
        # (which rows form a part: see the class docstring). The table's own order usually
        # is nearly this one: numpy's stable sort (a merge of the runs) is then twice as fast
        # as its default, and the keys are unique. Each column is reordered on its own, so
        # that one extra column is alive at a time (the peak memory).
        keys = a_sub * len(self.ids) + a_question
        if len(keys) > 1 and (keys[1:] < keys[:-1]).any():
            order = np.argsort(keys, kind="stable")
            a_sub, a_question, a_kind, a_value = (
                a[order] for a in (a_sub, a_question, a_kind, a_value)
            )
            del order
            # A submission's rows may have come in more than one run: its runs now.
            position, _, lengths = _runs(self.find, a_sub)
        del keys
        row_sub = np.repeat(self.index[position], lengths)
        del position, lengths

        scale, area, metric, row_method = _decode_row(a_kind)
        del a_kind
        on_scale = (a_value >= 0) & (a_value <= _MAX_VALUE)
        score = self.score_of[scale, np.where(on_scale, a_value, 0)]
        score[~on_scale] = np.nan
        raw = a_value.astype(np.float32)  # small whole numbers: exact
        del a_value, on_scale
        used = (area >= 0) | (metric >= 0)
        bad = used & ~((score >= -1e-9) & (score <= 100 + 1e-9))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise AnswersError(f"Value {float(raw[i])!r} is not on the scale {SCALES[scale[i]]}.")
        del used, bad, scale
        np.clip(score, 0.0, 100.0, out=score)
        # This part's why texts: rows are ordered by (submission, question), unique per answer
        # (an answer stored after the rows were read is not here).
        rows, stored = E.find_sorted(a_sub * len(self.ids) + a_question, self.w_key)
        why_row, why_text = rows[stored], self.w_text[stored]
        if len(a_sub) and a_sub.max() < 2**31:
            a_sub = a_sub.astype(np.int32)
        return replace(
            self.units,
            unit=self.sub_unit[row_sub],
            method=row_method.astype(np.int8),
            area=area.astype(np.int8),
            metric=metric.astype(np.int8),
            score=score,
            raw=raw,
            question=self.q_code[a_question],
            at_ns=self.at[row_sub],
            why_row=why_row,
            why_text=why_text,
            submission=a_sub,
        )


def _runs(find: _Positions, a_sub: np.ndarray) -> tuple[np.ndarray, ...]:
    """Each run of answer rows of one submission (a submission's answers come together):
    where its submission stands among the submissions read (``find``), whether it is there at
    all, and how many rows it has. One lookup a run, not a row."""
    first = E.run_starts(a_sub)
    position, found = find(a_sub[first])
    return position, found, np.diff(first, append=len(a_sub))


class _Positions:
    """Where ids stand in an ascending array of unique ids (``find(needles)``: positions, and
    whether each is there at all; a position means something only where found). A chain's
    submissions are most of the ids between their lowest and highest, so a table by id
    answers (10 MB at 2.6M submissions), where a binary search of each of a part's runs took
    0.4 s of a recompute of 10M answers; other ids by the search."""

    def __init__(self, ids: np.ndarray):
        self.ids, self.table = ids, None
        if len(ids) and _dense(len(ids), int(ids[0]), int(ids[-1])):
            self.low = int(ids[0])
            self.table = np.full(int(ids[-1]) - self.low + 1, -1, dtype=np.int64)
            self.table[ids - self.low] = np.arange(len(ids))

    def __call__(self, needles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if self.table is None:
            return E.find_sorted(self.ids, needles)
        offset = needles - self.low
        inside = (offset >= 0) & (offset < len(self.table))
        position = self.table[np.where(inside, offset, 0)]
        found = inside & (position >= 0)
        np.maximum(position, 0, out=position)
        return position, found


_NO_ROWS = {
    "unit": np.zeros(0, dtype=np.int32),
    "method": np.zeros(0, dtype=np.int8),
    "area": np.zeros(0, dtype=np.int8),
    "metric": np.zeros(0, dtype=np.int8),
    "score": np.zeros(0),
    "raw": np.zeros(0, dtype=np.float32),
    "question": np.zeros(0, dtype=np.int32),
    "at_ns": np.zeros(0, dtype=np.int64),
    "why_row": np.zeros(0, dtype=np.int64),
    "why_text": np.zeros(0, dtype=object),
    "submission": np.zeros(0, dtype=np.int32),
}


class _Copied:
    """A query's fixed-width columns, to be read a number of rows at a time (`columns`): on
    PostgreSQL its binary COPY in an unnamed temporary file (the system's page cache, not this
    process: at 10M answers the raw rows are 400 MB), elsewhere the fetched arrays."""

    def __init__(self, types: Sequence[str], spool=None, arrays=None):
        self.types, self.spool, self.arrays = types, spool, arrays
        if spool is not None:
            fields = []
            for i, kind in enumerate(types):
                fields += [(f"len{i}", ">i4"), (f"c{i}", f">{'i8' if kind == 't' else kind}")]
            self.dtype = np.dtype([("count", ">i2"), *fields])
            size = spool.tell()
            self.header = _past_header(spool, 0)
            self.n_rows = (size - self.header - 2) // self.dtype.itemsize
        else:
            self.n_rows = len(arrays[0])

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()

    def columns(self, rows: int | None = None) -> Iterator[list[np.ndarray]]:
        """The columns ``rows`` rows at a time (None: all at once)."""
        rows = max(1, rows or self.n_rows)
        if self.spool is not None:
            self.spool.seek(self.header)
        for first in range(0, self.n_rows, rows):
            count = min(rows, self.n_rows - first)
            if self.spool is None:
                yield [a[first : first + count].copy() for a in self.arrays]
            else:
                yield self._read(count)

    def _read(self, n_rows: int) -> list[np.ndarray]:
        """The next ``n_rows`` rows of the spool as columns, read a slice at a time."""
        types, dtype = self.types, self.dtype
        out = [np.empty(n_rows, dtype=np.int64 if kind == "t" else _NATIVE[kind]) for kind in types]
        per_slice = max(1, _SLICE_BYTES // dtype.itemsize)
        buffer = bytearray(per_slice * dtype.itemsize)
        for first in range(0, n_rows, per_slice):
            count = min(per_slice, n_rows - first)
            view = memoryview(buffer)[: count * dtype.itemsize]
            if self.spool.readinto(view) != len(view):
                raise ValueError("Short COPY output.")
            table = np.frombuffer(view, dtype=dtype, count=count)
            if (table["count"] != len(types)).any():
                raise ValueError("Unexpected COPY row layout.")
            for i, kind in enumerate(types):
                if (table[f"len{i}"] < 0).any():
                    raise ValueError("NULL in a COPY column.")
                column = out[i][first : first + count]
                column[:] = table[f"c{i}"]
                if kind == "t":
                    column += _PG_EPOCH_US
                    column *= 1000
            del table, view
        return out


def _kind_tables() -> tuple[np.ndarray, ...]:
    """The engine's (scale, area, metric, method) codes of every ``Answer.kind`` (area/metric
    −1 = none), as int8 lookup tables."""
    engine_codes = {"method": METHODS, "area": AREAS, "metric": METRICS, "scale": SCALES}
    every = np.arange(int(np.prod([len(values) for _, values in ANSWER_KIND_PARTS])))
    parts, rest = {}, every
    for column, values in ANSWER_KIND_PARTS:
        position = rest % len(values)
        rest = rest // len(values)
        # The model's values by name in the engine's order (a blank area or metric: −1).
        codes = [engine_codes[column].index(v) if v else -1 for v in values]
        parts[column] = np.array(codes, dtype=np.int8)[position]
    return tuple(parts[column] for column in ("scale", "area", "metric", "method"))


_KIND_TABLES = _kind_tables()
# The engine's method of each code's kind (−1: none): the answers of one method in the codes.
METHOD_OF_KIND = np.concatenate(
    [_KIND_TABLES[3], np.full(_KIND_MASK + 1 - len(_KIND_TABLES[3]), -1, dtype=np.int8)]
)


def _decode_row(kind: np.ndarray) -> tuple[np.ndarray, ...]:
    """(scale, area, metric, method) engine codes of ``Answer.kind`` values (all ≥ 0)."""
    return tuple(table[kind] for table in _KIND_TABLES)
