"""The demo data: a year of observations and mystery tests, consistent per person, idempotent."""

import random

from django.utils import timezone

from asiakaskunto.models import Answer, Method
from observations import demo
from observations.models import Checklist, ChecklistStatus, MysteryPlan, MysteryTest, PlanStatus
from tests.factories import SalespersonFactory


def test_the_demo_fills_a_year_and_runs_once(org):
    for index in range(6):
        SalespersonFactory(team=org.team_a if index % 2 else org.team_b)
    now = timezone.now()
    demo.seed(org.organisation, now=now, rng=random.Random(1))
    counts = (Checklist.objects.count(), MysteryPlan.objects.count(), Answer.objects.count())
    demo.seed(org.organisation, now=now, rng=random.Random(1))
    assert (
        Checklist.objects.count(),
        MysteryPlan.objects.count(),
        Answer.objects.count(),
    ) == counts

    people = org.organisation.salespeople.count()
    submitted = Checklist.objects.filter(status=ChecklistStatus.SUBMITTED)
    assert 8 * people <= submitted.count() <= 12 * people
    assert Checklist.objects.filter(status=ChecklistStatus.DRAFT).exists()
    assert MysteryTest.objects.count() >= 2 * people
    for status in PlanStatus:
        assert MysteryPlan.objects.with_status(status, now=now).exists(), status
    oldest = submitted.order_by("observed_at").first().observed_at
    assert (now - oldest).days > 300
    assert submitted.filter(observed_at__gt=now).count() == 0
    assert Answer.objects.filter(method=Method.MYSTERY_SHOP).exclude(why="").exists()


def test_a_persons_skill_is_the_shared_definition(org):
    expected = random.Random("skill-" + org.seller_a.name).uniform(0.35, 0.98)
    assert demo.skill_of(org.seller_a) == expected


def test_the_demo_has_two_templates_and_checklists_made_with_one(org):
    from observations.models import ChecklistTemplate

    for index in range(4):
        SalespersonFactory(team=org.team_a if index % 2 else org.team_b)
    demo.seed(org.organisation, now=timezone.now(), rng=random.Random(1))
    templates = ChecklistTemplate.objects.filter(organisation=org.organisation)
    assert sorted(templates.values_list("name_fi", flat=True)) == [
        "Tervehdys ja odotus",
        "Tuotetuntemus",
    ]
    greeting = templates.get(name_fi="Tervehdys ja odotus")
    assert greeting.entries.count() >= 1
    made = Checklist.objects.filter(template=greeting, status=ChecklistStatus.SUBMITTED)
    assert made.count() == 2  # one per team
    asked = set(greeting.entries.values_list("question_id", flat=True))
    for checklist in made:
        assert set(checklist.submission.answers.values_list("question_id", flat=True)) == asked


def test_the_demo_has_a_scenario_a_schedule_with_an_overdue_visit_and_a_test_to_review(org):
    from observations.models import (
        MysteryScenario,
        MysterySchedule,
        ReviewStatus,
        review_required,
    )

    for index in range(4):
        SalespersonFactory(team=org.team_a if index % 2 else org.team_b)
    now = timezone.now()
    demo.seed(org.organisation, now=now, rng=random.Random(1))
    scenario = MysteryScenario.objects.get(organisation=org.organisation)
    assert scenario.instructions_fi and scenario.instructions_sv and scenario.questions.exists()
    schedule = MysterySchedule.objects.get(organisation=org.organisation)
    assert schedule.scenario == scenario
    overdue = MysteryPlan.objects.filter(schedule=schedule).overdue(now=now)
    assert overdue.count() == 1
    assert review_required(org.organisation.pk)
    waiting = MysteryTest.objects.filter(review_status=ReviewStatus.PENDING)
    assert waiting.count() == 1 and waiting.get().submission is None
    assert waiting.get().plan.schedule == schedule
    members = schedule.team.members.filter(active=True).count()
    assert MysteryPlan.objects.filter(schedule=schedule).count() == 2 * members
