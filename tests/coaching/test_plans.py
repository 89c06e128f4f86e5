"""Plans from development targets; progress measured by the engine, never typed."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from asiakaskunto.models import Answer, Question
from coaching import services
from coaching.models import CoachingPlan, Goal, GoalStatus, PlanStatus, SelfRating
from coaching.pages import plan_page
from coaching.progress import GoalState
from reports.results_cache import grades_for, mark_stale
from tests.coaching.helpers import strong_evidence, weak_evidence


def start(org, *, due_days=60):
    grades = grades_for(org.organisation)
    from reports.services import scoring_settings_for

    settings = scoring_settings_for(org.organisation)
    proposals = services.proposals(
        grades.people[org.seller_a.pk], organisation=org.organisation, settings=settings
    )
    goals = [
        services.GoalInput(
            area=p.area,
            question=p.question,
            target_score=65.0,
            due_date=timezone.localdate() + timedelta(days=due_days),
        )
        for p in proposals
        if p.checked
    ]
    return services.start_plan(org.seller_a, goals, user=org.manager_a, now=timezone.now())


@pytest.fixture
def plan(org):
    weak_evidence(org.seller_a)
    plan = start(org)
    # Started a day ago, so that the evidence of the tests arrives after the start.
    earlier = plan.started_at - timedelta(days=1)
    CoachingPlan.objects.filter(pk=plan.pk).update(started_at=earlier)
    Goal.objects.filter(plan=plan).update(set_at=earlier)
    plan.refresh_from_db()
    return plan


def test_the_plan_has_a_goal_per_area_below_the_floor_with_the_engines_start(org, plan):
    result = grades_for(org.organisation).people[org.seller_a.pk]
    below = {t.area for t in result.targets}
    goals = list(plan.goals.order_by("id"))
    assert {g.area for g in goals} == below and below
    for goal in goals:
        area = result.areas[goal.area]
        assert goal.start_score == pytest.approx(area.score)
        assert goal.start_n == area.n
        assert goal.start_low == pytest.approx(area.interval.low)
    skills = next(g for g in goals if g.area == "SKILLS")
    assert skills.start_whys and skills.start_whys[0]["text"].startswith("Jonotin")


def test_the_largest_gap_is_the_focus_and_the_manager_can_move_it(plan):
    goals = list(plan.goals.all())
    focus = [g for g in goals if g.focus]
    assert len(focus) == 1
    assert focus[0] == max(goals, key=lambda g: g.target_score - g.start_score)
    other = next(g for g in goals if not g.focus)
    services.set_focus(other)
    assert list(plan.goals.filter(focus=True)) == [other]


def test_one_open_plan_per_salesperson_is_a_database_rule(org, plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        CoachingPlan.objects.create(
            organisation=org.organisation,
            salesperson=org.seller_a,
            target_level="ERINOMAINEN",
            started_at=timezone.now(),
        )
    with pytest.raises(services.PlanAlreadyOpen):
        start(org)


def test_a_goal_is_achieved_only_when_the_engine_says_so(org, plan):
    goal = plan.goals.get(area="SKILLS")
    page = plan_page(plan, now=timezone.now())
    state = next(p for p in page.progress if p.goal == goal).state
    assert state == GoalState.NOT_ENOUGH_EVIDENCE
    with pytest.raises(services.NotAchieved):
        services.confirm_achieved(goal, user=org.manager_a, now=timezone.now())

    strong_evidence(org.seller_a, at=timezone.now() - timedelta(hours=1))
    mark_stale(org.organisation.pk)
    page = plan_page(plan, now=timezone.now())
    progress = next(p for p in page.progress if p.goal == goal)
    assert progress.state == GoalState.ACHIEVED and progress.awaiting_confirmation
    assert progress.new_evidence["CUSTOMER"] == 12 and progress.new_evidence["OBSERVATION"] == 12
    assert progress.now.score >= goal.target_score and not progress.now.provisional

    services.confirm_achieved(goal, user=org.manager_a, now=timezone.now())
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACHIEVED
    assert goal.achieved_score == pytest.approx(progress.now.score)


def test_a_plan_closes_when_every_goal_is_achieved_dropped_or_past_due(org, plan):
    goals = list(plan.goals.all())
    for goal in goals[:-1]:
        services.drop_goal(goal, now=timezone.now())
    plan.refresh_from_db()
    assert plan.status == PlanStatus.OPEN
    last = goals[-1]
    Goal.objects.filter(pk=last.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    assert services.close_if_finished(plan, now=timezone.now())
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED and plan.closed_at is not None
    # A new plan can start; the old one is kept.
    start(org)
    assert CoachingPlan.objects.filter(salesperson=org.seller_a).count() == 2


def test_self_ratings_never_enter_the_grade(org, plan):
    before = grades_for(org.organisation).people[org.seller_a.pk]
    answers = Answer.objects.count()
    ratings = {q: 5 for q in Question.objects.filter(code__in=["CUS1", "OBS1", "OBS3"])}
    services.save_self_ratings(plan, ratings, now=timezone.now())
    mark_stale(org.organisation.pk)
    after = grades_for(org.organisation).people[org.seller_a.pk]
    assert Answer.objects.count() == answers
    # Equal up to the recency weights of a moment later: a 5/5 counted would move them by tens.
    assert after.index == pytest.approx(before.index, abs=1e-6)
    assert after.areas.keys() == before.areas.keys()
    for area, score in after.areas.items():
        assert score.score == pytest.approx(before.areas[area].score, abs=1e-6)
        assert score.n == before.areas[area].n
    page = plan_page(plan, now=timezone.now())
    skills = next(row for row in page.comparison if row.area == "SKILLS")
    assert skills.self_score == 100.0 and skills.measured == round(before.areas["SKILLS"].score, 1)
    assert skills.large


def test_self_assessment_closes_when_the_plan_is_acknowledged(plan):
    services.acknowledge(plan, now=timezone.now())
    plan.refresh_from_db()
    with pytest.raises(services.PlanNotOpen):
        services.save_self_ratings(plan, {Question.objects.get(code="CUS1"): 4}, now=timezone.now())
    assert not SelfRating.objects.exists()


def test_the_daily_job_closes_plans_past_due_and_leaves_the_others_open(org, plan):
    call_command("close_finished_plans", stdout=StringIO())
    plan.refresh_from_db()
    assert plan.status == PlanStatus.OPEN
    plan.goals.update(due_date=timezone.localdate() - timedelta(days=1))
    out = StringIO()
    call_command("close_finished_plans", stdout=out)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED and "Plans closed: 1" in out.getvalue()


def test_answers_dated_before_the_plan_never_make_a_goal_achieved(org, plan):
    """A back-dated checklist entered after the plan started moves the score, but it is not
    new evidence: the goal waits for answers dated after the start."""
    goal = plan.goals.get(area="SKILLS")
    strong_evidence(org.seller_a, at=plan.started_at - timedelta(hours=1))
    mark_stale(org.organisation.pk)
    progress = next(p for p in plan_page(plan, now=timezone.now()).progress if p.goal == goal)
    assert sum(progress.new_evidence.values()) == 0
    assert progress.state == GoalState.NOT_ENOUGH_EVIDENCE
    with pytest.raises(services.NotAchieved):
        services.confirm_achieved(goal, user=org.manager_a, now=timezone.now())
