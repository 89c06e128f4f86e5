"""Plans, goals, self-assessments, sessions and comments are in a person's export and erasure."""

import json
from datetime import timedelta

from django.utils import timezone

from asiakaskunto.models import Method, Question, Submission
from coaching import services
from coaching.models import CoachingPlan, CoachingSession, Goal, PlanComment, SelfRating
from privacy import registry
from privacy.contacts import Contact
from privacy.retention import apply_retention
from surveys.models import SurveyResponse
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


def quotes(goal_of=None):
    goals = Goal.objects.filter(plan__salesperson=goal_of) if goal_of else Goal.objects.all()
    return [why["text"] for goal in goals.order_by("id") for why in goal.start_whys]


def left_contacts(person):
    """Kaisa left her phone with the latest answer quoted in the goal, Matti his address with
    the next one."""
    latest = Submission.objects.filter(salesperson=person, method=Method.CUSTOMER).order_by(
        "-answered_at"
    )[:2]
    for submission, contact in zip(
        latest, ["Kaisa 040 123 4567", "matti@example.com"], strict=True
    ):
        SurveyResponse.objects.create(submission=submission, language="fi", contact=contact)


def test_erasing_a_customer_removes_their_words_from_the_goals(org):
    coached(org, org.seller_a, org.manager_a)
    left_contacts(org.seller_a)
    assert quotes() == ["Jonotin pitkään 4", "Jonotin pitkään 3", "Jonotin pitkään 2"]
    kaisa = Contact.parse("+358 40 1234567")
    found = registry.find_customer(org.organisation, kaisa)
    assert [f.summary for f in found if f.summary == "Jonotin pitkään 4"]
    registry.erase_customer(org.organisation, kaisa)
    assert quotes() == ["Jonotin pitkään 3", "Jonotin pitkään 2"]  # others' words stay
    assert "Jonotin pitkään 4" not in json.dumps(registry.export_person(org.seller_a))
    assert not [
        f for f in registry.find_customer(org.organisation, kaisa) if "Jonotin" in f.summary
    ]


def test_quotes_saved_before_they_carried_their_method_and_quotes_naming_the_contact(org):
    plan = coached(org, org.seller_a, org.manager_a)
    left_contacts(org.seller_a)
    goal = plan.goals.get()
    for why in goal.start_whys:
        del why["method"]
    goal.start_whys[2]["text"] = "Soita Matille, Matti@Example.com"
    goal.save()
    registry.erase_customer(org.organisation, Contact.parse("matti@example.com"))
    assert quotes() == ["Jonotin pitkään 4"]


def test_retention_removes_customers_quotes_older_than_the_cut_off(org):
    weak_evidence(org.seller_b, days_ago=5)
    coached(org, org.seller_a, org.manager_a)  # answered 30 days ago
    services.start_plan(
        org.seller_b,
        [services.GoalInput(area="SKILLS", question=None, target_score=65,
                            due_date=timezone.localdate() + timedelta(days=30))],
        user=org.manager_b, now=timezone.now(),
    )  # fmt: skip
    assert len(quotes(org.seller_b)) == 3
    # By default customers' texts are kept 12 months: the cut-off falls between the two.
    counts = apply_retention(
        now=timezone.now() + timedelta(days=350), organisations=[org.organisation]
    )
    assert quotes(org.seller_a) == []
    assert len(quotes(org.seller_b)) == 3  # answered after the cut-off
    assert sum(c.get("coaching.goal_whys", 0) for c in counts.values()) == 3
