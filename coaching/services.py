"""Writes of the coaching loop, each in one transaction: start a plan from the development
targets, change its goals, confirm an achievement the engine shows, log sessions, acknowledge,
comment, self-assess, and close a plan whose goals are all settled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from asiakaskunto.models import Area, Question, Salesperson
from asiakaskunto.questions import questions_by_code
from reports.person import why_source
from reports.scoring import Grades, PersonResult, ScoringSettings
from reports.services import scoring_settings_for

from .models import (
    CoachingPlan,
    CoachingSession,
    Goal,
    GoalStatus,
    PlanComment,
    PlanStatus,
    Season,
    SelfRating,
)
from .progress import GoalState, engine_grades, goal_progress, measure, new_evidence


class PlanAlreadyOpen(Exception):
    """The salesperson has an open plan already (one at a time)."""

    def __init__(self, plan: CoachingPlan):
        super().__init__(plan.pk)
        self.plan = plan


class NotAchieved(Exception):
    """The engine does not show the goal achieved (at or above target, not provisional)."""


class PlanNotOpen(Exception):
    """The plan (or goal) is closed: it is kept as it was."""


@dataclass(frozen=True, slots=True, kw_only=True)
class GoalProposal:
    """A goal the plan form offers: an area, or one of its questions, below the floor."""

    area: str
    question: Question | None
    score: float
    n: int
    low: float | None
    high: float | None
    gap: float
    whys: list[dict]
    checked: bool

    @property
    def key(self) -> str:
        return self.question.code if self.question else self.area

    @property
    def label(self) -> str:
        return self.question.text if self.question else str(Area(self.area).label)


def proposals(
    result: PersonResult | None, *, organisation, settings: ScoringSettings
) -> list[GoalProposal]:
    """One proposed goal per development target area (ticked), and one per question below the
    floor within it (not ticked: the manager may aim at a question instead), largest gap first.
    ``organisation``: whose bank the questions (by code) come from."""
    if result is None:
        return []
    codes = {q.question for target in result.targets for q in target.questions}
    questions = questions_by_code(organisation, codes)
    out = []
    for target in result.targets:
        area = result.areas[target.area]
        whys = [
            {
                "text": why.text,
                "answered_at": why.answered_at.isoformat(),
                "source": str(why_source(q.method)),
            }
            for q in target.questions
            for why in q.whys
        ]
        whys.sort(key=lambda why: why["answered_at"], reverse=True)
        out.append(
            GoalProposal(
                area=target.area,
                question=None,
                score=target.score,
                n=area.n,
                low=area.interval.low,
                high=area.interval.high,
                gap=target.gap,
                whys=whys[:3],
                checked=True,
            )
        )
        for q in target.questions:
            if q.question not in questions:
                continue
            n = next((s.n for s in result.questions if s.question == q.question), 0)
            out.append(
                GoalProposal(
                    area=target.area,
                    question=questions[q.question],
                    score=q.score,
                    n=n,
                    low=None,
                    high=None,
                    gap=q.gap,
                    whys=[
                        {
                            "text": why.text,
                            "answered_at": why.answered_at.isoformat(),
                            "source": str(why_source(q.method)),
                        }
                        for why in q.whys
                    ],
                    checked=False,
                )
            )
    return out


@dataclass(frozen=True, slots=True, kw_only=True)
class GoalInput:
    area: str
    question: Question | None
    target_score: float
    due_date: date
    actions: str = ""


def current_season(organisation, today: date) -> Season | None:
    return Season.objects.of(organisation).current(today).order_by("start_date", "id").first()


def _snapshot(goal: Goal, result: PersonResult | None, settings: ScoringSettings) -> None:
    """The engine's numbers for the goal as it is set, and the whys that explain them."""
    code = goal.question.code if goal.question_id else None
    measured = measure(
        result, area=goal.area, question_code=code, target=goal.target_score, settings=settings
    )
    goal.start_score = measured.score
    goal.start_n = measured.n
    goal.start_low = measured.low
    goal.start_high = measured.high
    goal.start_whys = []
    if result is not None:
        for target in result.targets:
            if target.area != goal.area:
                continue
            for q in target.questions:
                if code and q.question != code:
                    continue
                goal.start_whys.extend(
                    {
                        "text": why.text,
                        "answered_at": why.answered_at.isoformat(),
                        "source": str(why_source(q.method)),
                        # The source label is translated: privacy hooks go by the method.
                        "method": q.method,
                    }
                    for why in q.whys
                )
        goal.start_whys.sort(key=lambda why: why["answered_at"], reverse=True)
        del goal.start_whys[3:]


def _new_goal(
    plan: CoachingPlan,
    data: GoalInput,
    result: PersonResult | None,
    settings: ScoringSettings,
    *,
    now: datetime,
) -> Goal:
    """An unsaved goal of ``plan`` from ``data``, with the engine's snapshot of its start."""
    goal = Goal(
        plan=plan,
        area=data.area,
        question=data.question,
        target_score=data.target_score,
        due_date=data.due_date,
        actions=data.actions,
        set_at=now,
    )
    _snapshot(goal, result, settings)
    return goal


def _gap(goal: Goal) -> float:
    return goal.target_score - (goal.start_score if goal.start_score is not None else 0.0)


def _refocus(plan: CoachingPlan) -> None:
    """Give the focus to the open goal with the largest gap when no open goal has it."""
    goals = list(plan.goals.filter(status=GoalStatus.OPEN).order_by("id"))
    if any(goal.focus for goal in goals):
        return
    plan.goals.filter(focus=True).update(focus=False)
    if goals:
        best = max(goals, key=lambda goal: (_gap(goal), -goal.pk))
        Goal.objects.filter(pk=best.pk).update(focus=True)


def close_if_finished(plan: CoachingPlan, *, now: datetime) -> bool:
    """Close an open plan whose every goal is achieved, dropped or past its due date."""
    if not plan.is_open:
        return False
    today = timezone.localdate(now)
    unsettled = plan.goals.filter(status=GoalStatus.OPEN, due_date__gte=today)
    if unsettled.exists() or not plan.goals.exists():
        return False
    closed = CoachingPlan.objects.filter(pk=plan.pk, status=PlanStatus.OPEN).update(
        status=PlanStatus.CLOSED, closed_at=now
    )
    if closed:
        plan.status, plan.closed_at = PlanStatus.CLOSED, now
    return bool(closed)


def start_plan(
    salesperson: Salesperson,
    goals: list[GoalInput],
    *,
    user,
    now: datetime,
    grades: Grades | None = None,
) -> CoachingPlan:
    """A new open plan with the given goals, each with the engine's score now as its start; the
    goal with the largest gap is the focus. Raises PlanAlreadyOpen when one is open (a finished
    one is closed first)."""
    organisation = salesperson.organisation
    settings = scoring_settings_for(organisation)
    grades = grades or engine_grades(organisation, as_of=None, people=[salesperson.pk])
    result = grades.people.get(salesperson.pk)
    today = timezone.localdate(now)
    try:
        with transaction.atomic():
            existing = (
                CoachingPlan.objects.select_for_update()
                .filter(salesperson=salesperson, status=PlanStatus.OPEN)
                .first()
            )
            if existing is not None and not close_if_finished(existing, now=now):
                raise PlanAlreadyOpen(existing)
            plan = CoachingPlan.objects.create(
                organisation=organisation,
                salesperson=salesperson,
                season=current_season(organisation, today),
                target_level=settings.target_level,
                created_by=user,
                started_at=now,
            )
            rows = [_new_goal(plan, data, result, settings, now=now) for data in goals]
            if rows:
                max(rows, key=_gap).focus = True
            Goal.objects.bulk_create(rows)
    except IntegrityError:
        existing = CoachingPlan.objects.filter(
            salesperson=salesperson, status=PlanStatus.OPEN
        ).first()
        if existing is None:
            raise
        raise PlanAlreadyOpen(existing) from None
    return plan


def _require_open(plan: CoachingPlan) -> None:
    if not plan.is_open:
        raise PlanNotOpen


def add_goal(plan: CoachingPlan, data: GoalInput, *, now: datetime) -> Goal:
    _require_open(plan)
    settings = scoring_settings_for(plan.organisation)
    result = engine_grades(plan.organisation, as_of=None, people=[plan.salesperson_id]).people.get(
        plan.salesperson_id
    )
    with transaction.atomic():
        goal = _new_goal(plan, data, result, settings, now=now)
        goal.save()
        _refocus(plan)
    return goal


def edit_goal(goal: Goal, *, target_score: float, due_date: date, actions: str) -> Goal:
    """Change what can be agreed: the target (validated by the form), due date, actions."""
    if not (goal.plan.is_open and goal.is_open):
        raise PlanNotOpen
    goal.target_score, goal.due_date, goal.actions = target_score, due_date, actions
    goal.save(update_fields=["target_score", "due_date", "actions"])
    return goal


def drop_goal(goal: Goal, *, now: datetime) -> None:
    if not (goal.plan.is_open and goal.is_open):
        raise PlanNotOpen
    with transaction.atomic():
        Goal.objects.filter(pk=goal.pk, status=GoalStatus.OPEN).update(
            status=GoalStatus.DROPPED, dropped_at=now, focus=False
        )
        _refocus(goal.plan)
        close_if_finished(goal.plan, now=now)


def set_focus(goal: Goal) -> None:
    if not (goal.plan.is_open and goal.is_open):
        raise PlanNotOpen
    with transaction.atomic():
        goal.plan.goals.filter(focus=True).update(focus=False)
        Goal.objects.filter(pk=goal.pk).update(focus=True)


def confirm_achieved(goal: Goal, *, user, now: datetime) -> Goal:
    """The manager confirms what the engine shows: the goal's score now at or above its target
    and not provisional. Nothing typed counts; raises NotAchieved otherwise."""
    plan = goal.plan
    if not (plan.is_open and goal.is_open):
        raise PlanNotOpen
    organisation = plan.organisation
    settings = scoring_settings_for(organisation)
    grades = engine_grades(organisation, as_of=None, people=[plan.salesperson_id])
    counts = new_evidence([plan], as_of=grades.as_of).get(plan.salesperson_id, {})
    progress = goal_progress(
        goal,
        result=grades.people.get(plan.salesperson_id),
        settings=settings,
        counts=counts,
        today=timezone.localdate(now),
    )
    if progress.state != GoalState.ACHIEVED:
        raise NotAchieved
    with transaction.atomic():
        updated = Goal.objects.filter(pk=goal.pk, status=GoalStatus.OPEN).update(
            status=GoalStatus.ACHIEVED,
            achieved_at=now,
            achieved_score=progress.now.score,
            confirmed_by=user,
            focus=False,
        )
        if not updated:
            raise PlanNotOpen
        _refocus(plan)
        close_if_finished(plan, now=now)
    goal.refresh_from_db()
    return goal


def log_session(
    plan: CoachingPlan, *, held_on: date, goals, notes: str, next_step: str, user
) -> CoachingSession:
    _require_open(plan)
    with transaction.atomic():
        session = CoachingSession.objects.create(
            plan=plan, held_on=held_on, notes=notes, next_step=next_step, logged_by=user
        )
        session.goals.set(goals)
    return session


def acknowledge(plan: CoachingPlan, *, now: datetime) -> bool:
    """The salesperson acknowledges the open plan (once; a repeat changes nothing)."""
    _require_open(plan)
    return bool(
        CoachingPlan.objects.filter(
            pk=plan.pk, status=PlanStatus.OPEN, acknowledged_at__isnull=True
        ).update(acknowledged_at=now)
    )


def comment(plan: CoachingPlan, *, author, text: str) -> PlanComment:
    """A comment on an open plan (a closed plan is kept as it was)."""
    _require_open(plan)
    return PlanComment.objects.create(plan=plan, author=author, text=text)


def save_self_ratings(plan: CoachingPlan, ratings: dict[Question, int], *, now: datetime) -> None:
    """The salesperson's own ratings, replacing earlier ones; only before acknowledging."""
    if plan.acknowledged_at is not None or not plan.is_open:
        raise PlanNotOpen
    with transaction.atomic():
        locked = CoachingPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.acknowledged_at is not None:
            raise PlanNotOpen
        for question, value in ratings.items():
            SelfRating.objects.update_or_create(
                plan=plan, question=question, defaults={"value": value, "rated_at": now}
            )
        SelfRating.objects.filter(plan=plan).exclude(Q(question__in=list(ratings))).delete()
