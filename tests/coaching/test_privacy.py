"""Plans, goals, self-assessments, sessions and comments are in a person's export and erasure."""

import json
from datetime import timedelta

from django.utils import timezone

from asiakaskunto.models import Question
from coaching import services
from coaching.models import CoachingPlan, CoachingSession, Goal, PlanComment, SelfRating
from privacy import registry
from tests.coaching.helpers import weak_evidence


def coached(org, person, manager):
    weak_evidence(person)
    plan = services.start_plan(
        person,
        [
            services.GoalInput(
                area="SKILLS", question=None, target_score=65,
                due_date=timezone.localdate() + timedelta(days=30), actions="Kysy ensin",
            )
        ],
        user=manager,
        now=timezone.now(),
    )  # fmt: skip
    services.save_self_ratings(plan, {Question.objects.get(code="CUS1"): 4}, now=timezone.now())
    services.log_session(
        plan, held_on=timezone.localdate(), goals=plan.goals.all(), notes="Harjoiteltiin",
        next_step="Seuraavaksi", user=manager,
    )  # fmt: skip
    services.comment(plan, author=person.user, text="Sovittu")
    return plan


def test_the_export_holds_the_persons_coaching(org):
    coached(org, org.seller_a, org.manager_a)
    data = json.loads(json.dumps(registry.export_person(org.seller_a), default=str))
    plan = data["coaching"]["plans"][0]
    assert plan["goals"][0]["actions"] == "Kysy ensin" and plan["goals"][0]["area"] == "SKILLS"
    assert plan["goals"][0]["start_whys"][0]["text"].startswith("Jonotin")
    assert plan["self_assessment"] == [
        {"question": "CUS1", "value": 4, "rated_at": plan["self_assessment"][0]["rated_at"]}
    ]
    assert (
        plan["sessions"][0]["notes"] == "Harjoiteltiin"
        and plan["sessions"][0]["logged_by"] == "manager_a"
    )
    assert plan["comments"][0] == {
        "at": plan["comments"][0]["at"],
        "by": "seller_a",
        "text": "Sovittu",
    }
    assert json.dumps(registry.export_person(org.seller_b), default=str).count("Harjoiteltiin") == 0


def test_erasure_deletes_the_persons_coaching_only(org):
    coached(org, org.seller_a, org.manager_a)
    kept = coached(org, org.seller_b, org.manager_b)
    counts = registry.erase_person(org.seller_a)
    assert counts["coaching"] > 0
    assert list(CoachingPlan.objects.all()) == [kept]
    assert Goal.objects.filter(plan=kept).count() == Goal.objects.count() == 1
    assert (
        SelfRating.objects.count()
        == CoachingSession.objects.count()
        == PlanComment.objects.count()
        == 1
    )
