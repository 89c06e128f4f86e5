"""The manager's to-do list: missing evidence in plain words with a one-tap action, goals due,
follow-ups and drafts; the salesperson's plan to acknowledge."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from asiakaskunto.models import Method
from coaching import services
from coaching.models import Goal
from coaching.todo import TodoItem, TodoKind, todo_for
from observations.models import Checklist
from surveys.models import FollowUp
from tests.coaching.helpers import weak_evidence
from tests.factories import submit
from tests.surveys.factories import SurveyLinkFactory


def kinds(items, person=None):
    return [i.kind for i in items if person is None or i.person == person]


def test_a_person_without_evidence_gets_invitations_and_the_qr_code(org):
    link = SurveyLinkFactory(salesperson=org.colleague_a)
    items = todo_for(org.manager_a, as_of=timezone.now())
    assert all(isinstance(item, TodoItem) for item in items)
    few = next(
        i
        for i in items
        if i.person == "Cecilia Colleague" and i.kind == TodoKind.FEW_CUSTOMER_SURVEYS
    )
    assert "0" in few.text and "5" in few.text
    assert few.url == f"/surveys/invitations/?salesperson={org.colleague_a.pk}"
    assert [a.url for a in few.more] == [f"/surveys/links/{link.pk}/print/"]
    methods = next(
        i for i in items if i.person == "Cecilia Colleague" and i.kind == TodoKind.FEW_METHODS
    )
    assert methods.url == f"/observations/new/?salesperson={org.colleague_a.pk}"
    assert f"/observations/mystery/new/?salesperson={org.colleague_a.pk}" in [
        a.url for a in methods.more
    ]


def test_a_graded_person_needs_nothing_more(org):
    weak_evidence(org.seller_a)
    items = todo_for(org.manager_a, as_of=None)
    assert kinds(items, "Aino Seller") == []


def test_one_method_only_is_named_and_the_missing_ones_offered(org):
    for i in range(5):
        submit(
            org.seller_a,
            Method.CUSTOMER,
            {"CUS1": 4},
            answered_at=timezone.now() - timedelta(days=1, minutes=i),
        )
    items = todo_for(org.manager_a, as_of=None)
    assert kinds(items, "Aino Seller") == [TodoKind.FEW_METHODS]
    item = next(i for i in items if i.person == "Aino Seller")
    assert "1" in item.text and "2" in item.text
    assert item.url.startswith("/observations/new/")


def test_another_teams_people_are_not_on_the_list(org):
    items = todo_for(org.manager_b, as_of=None)
    assert {i.person for i in items} <= {"Bertta Seller", ""}
    assert "Bertta Seller" in {i.person for i in items}


def test_goals_due_follow_ups_and_drafts(org):
    weak_evidence(org.seller_a)
    today = timezone.localdate()
    plan = services.start_plan(
        org.seller_a,
        [
            services.GoalInput(
                area="SKILLS", question=None, target_score=65, due_date=today + timedelta(days=10)
            ),
            services.GoalInput(
                area="ATTITUDE", question=None, target_score=65, due_date=today + timedelta(days=60)
            ),
        ],
        user=org.manager_a,
        now=timezone.now(),
    )
    submission = submit(org.seller_a, Method.CUSTOMER, {"CUS3": 2})
    FollowUp.objects.create(
        organisation=org.organisation, submission=submission, team=org.team_a,
        salesperson=org.seller_a, reason="CUS3=2", answered_at=timezone.now(),
    )  # fmt: skip
    draft = Checklist.objects.create(
        organisation=org.organisation, salesperson=org.colleague_a, author=org.manager_a,
        observed_at=timezone.now(), idempotency_key=uuid.uuid4(),
    )  # fmt: skip
    items = todo_for(org.manager_a, as_of=None)
    due = [i for i in items if i.kind == TodoKind.GOAL_NO_EVIDENCE]
    assert len(due) == 1 and due[0].due_date == today + timedelta(days=10)
    assert f"/coaching/plans/{plan.pk}/" in [a.url for a in due[0].more]
    assert items[0] is due[0]  # the soonest due first
    assert any(
        i.kind == TodoKind.FOLLOW_UP and i.url.endswith(f"/follow-ups/{submission.follow_up.pk}/")
        for i in items
    )
    assert any(i.kind == TodoKind.DRAFT and str(draft.pk) in i.url for i in items)
    assert not any(i.kind == TodoKind.FOLLOW_UP for i in todo_for(org.manager_b, as_of=None))

    # New evidence after the start turns "no evidence" into "due soon".
    for i in range(3):
        submit(
            org.seller_a,
            Method.CUSTOMER,
            {"CUS1": 3},
            answered_at=timezone.now() + timedelta(seconds=1 + i),
        )
    later = timezone.now() + timedelta(minutes=20)
    items = todo_for(org.manager_a, as_of=later)
    assert [i.kind for i in items if i.kind.startswith("GOAL")] == [TodoKind.GOAL_DUE_SOON]
    Goal.objects.filter(plan=plan).update(due_date=today + timedelta(days=40))
    assert not [i for i in todo_for(org.manager_a, as_of=later) if i.kind.startswith("GOAL")]


def test_the_salesperson_is_asked_to_acknowledge_and_rate_themself(org):
    weak_evidence(org.seller_a)
    plan = services.start_plan(
        org.seller_a,
        [
            services.GoalInput(
                area="SKILLS",
                question=None,
                target_score=65,
                due_date=timezone.localdate() + timedelta(days=30),
            )
        ],
        user=org.manager_a,
        now=timezone.now(),
    )
    items = todo_for(org.seller_a_user, as_of=None)
    assert kinds(items) == [TodoKind.ACKNOWLEDGE_PLAN, TodoKind.SELF_ASSESS]
    assert items[1].url == f"/coaching/plans/{plan.pk}/self-assessment/"
    services.acknowledge(plan, now=timezone.now())
    assert todo_for(org.seller_a_user, as_of=None) == []
    assert todo_for(org.seller_b_user, as_of=None) == []


@pytest.mark.parametrize("who", ["leader", "admin"])
def test_leadership_has_no_personal_list(org, who):
    assert todo_for(getattr(org, who), as_of=None) == []
