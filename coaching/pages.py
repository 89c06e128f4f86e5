"""Page data of the coaching plan, as plain data: goals with their measured progress, the
self-assessment beside the measured scores, sessions and comments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.db.models import Prefetch
from django.utils import timezone

from asiakaskunto.models import Question
from asiakaskunto.questions import active_questions
from reports.dashboards import area_label, level_label, rounded
from reports.scoring import AREAS, SCALES, normalise
from reports.services import scoring_settings_for

from .models import CoachingPlan, CoachingSession, Goal, GoalStatus, PlanComment
from .progress import GoalProgress, engine_grades, plan_progress


def self_assessment_questions(organisation) -> list[Question]:
    """The questions a salesperson rates themself on: the organisation's active questions that
    feed an area."""
    return [q for q in active_questions(organisation) if q.area]


@dataclass(frozen=True, slots=True, kw_only=True)
class AreaComparison:
    area: str
    label: str
    self_score: float | None  # the self-ratings on the area's questions, on 0–100
    self_n: int
    measured: float | None
    n: int
    difference: float | None  # self − measured

    @property
    def large(self) -> bool:
        """A difference worth starting the conversation from (20 points or more)."""
        return self.difference is not None and abs(self.difference) >= 20


def self_vs_measured(ratings, result, settings) -> list[AreaComparison]:
    """Per area, the mean self-rating put on the 0–100 scale with the engine's own rule 1, beside
    the engine's measured score. Self-ratings are read here only: they never reach a grade."""
    by_area: dict[str, list[float]] = {}
    if ratings:
        scales = np.array([SCALES.index(r.question.scale) for r in ratings])
        values = np.array([float(r.value) for r in ratings])
        for rating, score in zip(ratings, normalise(scales, values, settings), strict=True):
            if not np.isnan(score):
                by_area.setdefault(rating.question.area, []).append(float(score))
    rows = []
    for area in AREAS:
        scores = by_area.get(area, [])
        own = sum(scores) / len(scores) if scores else None
        measured = result.areas.get(area) if result else None
        rows.append(
            AreaComparison(
                area=area,
                label=area_label(area),
                self_score=rounded(own),
                self_n=len(scores),
                measured=rounded(measured.score) if measured else None,
                n=measured.n if measured else 0,
                difference=rounded(own - measured.score) if own is not None and measured else None,
            )
        )
    return rows


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanPage:
    plan: CoachingPlan
    progress: list[GoalProgress]
    focus: GoalProgress | None
    comparison: list[AreaComparison]
    has_self_ratings: bool
    sessions: list[CoachingSession]
    comments: list[PlanComment]
    as_of: datetime
    target_label: str


def plan_page(plan: CoachingPlan, *, now: datetime) -> PlanPage:
    """Everything the plan page shows, measured with the engine's grades as of now."""

    organisation = plan.organisation
    settings = scoring_settings_for(organisation)
    grades = engine_grades(organisation, as_of=None, people=[plan.salesperson_id])
    goals = list(plan.goals.select_related("question", "confirmed_by").order_by("-focus", "id"))
    progress = plan_progress(
        plan, goals, grades=grades, settings=settings, today=timezone.localdate(now)
    )
    order = {GoalStatus.OPEN: 0, GoalStatus.ACHIEVED: 1, GoalStatus.DROPPED: 2}
    progress.sort(key=lambda p: (not p.goal.focus, order[p.goal.status], p.goal.pk))
    ratings = list(plan.self_ratings.select_related("question").order_by("question__position"))
    sessions = list(
        plan.sessions.select_related("logged_by")
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.select_related("question")))
        .order_by("-held_on", "-id")
    )
    comments = list(plan.comments.select_related("author").order_by("created_at", "id"))
    return PlanPage(
        plan=plan,
        progress=progress,
        focus=next((p for p in progress if p.goal.focus), None),
        comparison=self_vs_measured(ratings, grades.people.get(plan.salesperson_id), settings),
        has_self_ratings=bool(ratings),
        sessions=sessions,
        comments=comments,
        as_of=grades.as_of,
        target_label=level_label(plan.target_level),
    )
