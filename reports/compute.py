"""One computation of the engine's results for an organisation: grades at one or more moments
and, optionally, a month-end trend, from a single read of the answers.

This is the seam between the database and the pure engine (``reports.scoring``): callers say
explicitly everything they need in one call, and nothing is cached here (caching is the
reporting layer's business). Today it reads the answer rows once for the union of the windows
and grades them with the row engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from asiakaskunto.db import reporting_database
from asiakaskunto.models import Answer, Organisation

from .scoring import Grades, ScoringSettings, Trend, add_months, grade, trend


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
) -> Computed:
    """Grades of every salesperson, team and the organisation as of each moment of ``as_of``
    (timezone-aware), and the trend of ``trend_months`` (first days of months, ascending; month
    ends in ``tz``, default the current time zone). ``method``: only that method's answers."""
    from .services import load_answers  # the row reader (moves here with the sums path)

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
