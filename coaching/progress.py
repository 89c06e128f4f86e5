"""Progress is measured, not declared: each goal's score now comes from the scoring engine's
grades (``reports.results_cache.grades_for``, the very results the pages show), set beside the
snapshot taken when the goal was set and the evidence that has arrived since.

States of a goal (``GoalState``):
- NOT_ENOUGH_EVIDENCE: fewer than NEW_EVIDENCE_MIN answers in the goal's area (or to its
  question) dated after the plan started; checked first, so that a score moved only by answers
  dated before the plan (a back-dated checklist) or by old answers leaving the window is never
  an achievement;
- ACHIEVED: enough new evidence, and the engine's score is at or above the target and not
  provisional (the manager then confirms it; a confirmed goal stays achieved);
- ON_TRACK: the score has come at least as far from the start towards the target as the time
  from the start towards the due date (or it reached the target but is still provisional);
- NOT_YET: otherwise, and always once the due date has passed without an achievement.

"Provisional" for a goal: the person's scores are not a grade yet (EI RIITTÄVÄSTI TIETOA), or,
for an area, the low end of its 90 % interval is below the target, or, for a question, it has
fewer answers than the organisation's minimum n for a figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from asiakaskunto.models import Answer, Organisation
from reports.results_cache import NOW_MAX_AGE, grades_for, grades_of
from reports.scoring import METHODS, NOT_ENOUGH_DATA, Grades, PersonResult, ScoringSettings

from .models import Goal, GoalStatus

NEW_EVIDENCE_MIN = 3
EPS = 1e-9


class GoalState:
    ACHIEVED = "ACHIEVED"
    ON_TRACK = "ON_TRACK"
    NOT_YET = "NOT_YET"
    NOT_ENOUGH_EVIDENCE = "NOT_ENOUGH_EVIDENCE"
    DROPPED = "DROPPED"

    LABELS = {
        ACHIEVED: _("achieved"),
        ON_TRACK: _("on track"),
        NOT_YET: _("not yet"),
        NOT_ENOUGH_EVIDENCE: _("not enough new evidence"),
        DROPPED: _("dropped"),
    }


def engine_grades(organisation: Organisation, *, as_of: datetime | None, people=None) -> Grades:
    """The engine's grades as of ``as_of``; None, or a moment within the last few minutes,
    reads the organisation's stored grades "now" that every page shows (at most
    NOW_MAX_AGE old), so that a to-do list per manager does not grade everyone again.
    ``people`` (salesperson ids): only theirs in ``people`` (only their teams are read)."""
    if as_of is not None:
        age = (timezone.now() - as_of).total_seconds()
        if 0 <= age < NOW_MAX_AGE:
            as_of = None
    if people is not None:
        return grades_of(organisation, people, as_of=as_of)
    return grades_for(organisation, as_of=as_of)


@dataclass(frozen=True, slots=True, kw_only=True)
class Measured:
    """A goal's score in the engine's results at one moment (None: no answers there)."""

    score: float | None
    n: int
    low: float | None
    high: float | None
    provisional: bool


def measure(
    result: PersonResult | None,
    *,
    area: str,
    question_code: str | None,
    target: float,
    settings: ScoringSettings,
) -> Measured:
    """The engine's score of an area (or of one question) for one person, with its n, 90 %
    interval (areas only: the engine gives questions none) and whether it is provisional."""
    if result is None:
        return Measured(score=None, n=0, low=None, high=None, provisional=True)
    unofficial = result.level == NOT_ENOUGH_DATA
    if question_code:
        found = [q for q in result.questions if q.question == question_code]
        if not found:
            return Measured(score=None, n=0, low=None, high=None, provisional=True)
        question = found[0]
        return Measured(
            score=question.score,
            n=question.n,
            low=None,
            high=None,
            provisional=unofficial or question.n < settings.min_n_for_metrics,
        )
    score = result.areas.get(area)
    if score is None:
        return Measured(score=None, n=0, low=None, high=None, provisional=True)
    return Measured(
        score=score.score,
        n=score.n,
        low=score.interval.low,
        high=score.interval.high,
        provisional=unofficial or score.interval.low < target - EPS,
    )


# {salesperson id: {(area, question code, method): answers}}
Evidence = dict[int, dict[tuple[str, str, str], int]]


def new_evidence(plans: Iterable, *, as_of: datetime | None = None) -> Evidence:
    """Answers about each plan's salesperson since the plan started (up to ``as_of``), counted
    per area, question and method, in one query. The plans must be of different people."""
    condition = Q()
    for plan in plans:
        condition |= Q(
            submission__salesperson_id=plan.salesperson_id,
            submission__answered_at__gt=plan.started_at,
        )
    if not condition:
        return {}
    answers = Answer.objects.filter(condition)
    if as_of is not None:
        answers = answers.filter(submission__answered_at__lte=as_of)
    rows = (
        answers.exclude(area="")
        .order_by()
        .values_list("submission__salesperson_id", "area", "question__code", "method")
        .annotate(count=Count("id"))
    )
    out: Evidence = defaultdict(dict)
    for person, area, code, method, count in rows:
        out[person][(area, code, method)] = count
    return dict(out)


def evidence_for_goal(
    counts: Mapping[tuple[str, str, str], int], *, area: str, question_code: str | None
) -> dict[str, int]:
    """New answers per method (every method a key) in the goal's area or to its question."""
    per_method = dict.fromkeys(METHODS, 0)
    for (row_area, code, method), count in counts.items():
        if row_area == area and (not question_code or code == question_code):
            per_method[method] += count
    return per_method


@dataclass(frozen=True, slots=True, kw_only=True)
class GoalProgress:
    goal: Goal
    start_score: float | None
    now: Measured
    new_evidence: dict[str, int]
    state: str
    # The engine shows it reached, the manager has not confirmed it yet.
    awaiting_confirmation: bool
    due_in_days: int
    expected: float | None  # where an on-track score would be today

    @property
    def new_total(self) -> int:
        return sum(self.new_evidence.values())

    @property
    def state_label(self) -> str:
        return str(GoalState.LABELS[self.state])

    @property
    def change(self) -> float | None:
        if self.now.score is None or self.start_score is None:
            return None
        return self.now.score - self.start_score


def goal_state(
    goal: Goal, now: Measured, evidence: Mapping[str, int], *, today: date
) -> tuple[str, float | None]:
    """The goal's state and the score an on-track goal would have today (see the module)."""
    if goal.status == GoalStatus.ACHIEVED:
        return GoalState.ACHIEVED, None
    if goal.status == GoalStatus.DROPPED:
        return GoalState.DROPPED, None
    if sum(evidence.values()) < NEW_EVIDENCE_MIN:
        return GoalState.NOT_ENOUGH_EVIDENCE, None
    target = goal.target_score
    reached = now.score is not None and now.score >= target - EPS
    if reached and not now.provisional:
        return GoalState.ACHIEVED, None
    if today > goal.due_date or now.score is None:
        return GoalState.NOT_YET, None
    set_on = timezone.localdate(goal.set_at)
    start = goal.start_score if goal.start_score is not None else 0.0
    length = max((goal.due_date - set_on).days, 1)
    elapsed = min(max((today - set_on).days, 0), length)
    expected = start + (target - start) * elapsed / length
    if reached or (now.score > start + EPS and now.score >= expected - EPS):
        return GoalState.ON_TRACK, expected
    return GoalState.NOT_YET, expected


def goal_progress(
    goal: Goal,
    *,
    result: PersonResult | None,
    settings: ScoringSettings,
    counts: Mapping[tuple[str, str, str], int],
    today: date,
) -> GoalProgress:
    code = goal.question.code if goal.question_id else None
    now = measure(
        result, area=goal.area, question_code=code, target=goal.target_score, settings=settings
    )
    evidence = evidence_for_goal(counts, area=goal.area, question_code=code)
    state, expected = goal_state(goal, now, evidence, today=today)
    return GoalProgress(
        goal=goal,
        start_score=goal.start_score,
        now=now,
        new_evidence=evidence,
        state=state,
        awaiting_confirmation=goal.is_open and state == GoalState.ACHIEVED,
        due_in_days=(goal.due_date - today).days,
        expected=expected,
    )


def plan_progress(plan, goals, *, grades: Grades, settings: ScoringSettings, today: date):
    """Every goal's progress in one plan, with one query for the new evidence."""
    counts = new_evidence([plan], as_of=grades.as_of).get(plan.salesperson_id, {})
    result = grades.people.get(plan.salesperson_id)
    return [
        goal_progress(goal, result=result, settings=settings, counts=counts, today=today)
        for goal in goals
    ]


def default_due_date(season, today: date) -> date:
    """The end of the current season; without one, 90 days from today."""
    return season.end_date if season is not None else today + timedelta(days=90)
