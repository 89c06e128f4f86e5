"""Review before it counts: with the organisation's setting on, a completed test waits for a
manager of its team or leadership; only an approved test is evidence the grades read."""

import pytest
from django.urls import reverse
from django.utils import timezone

from asiakaskunto.models import Answer, Method, Role, Submission
from observations.models import MysterySettings, MysteryTest, ReviewStatus
from observations.services import AlreadyReviewed, approve_test, reject_test
from reports.results_cache import grades_for
from tests.factories import OrganisationFactory, make_user

from .factories import ALL_MYS, MysteryPlanFactory, mystery_post


@pytest.fixture
def reviewing(org):
    return MysterySettings.objects.create(organisation=org.organisation, review_required=True)


def complete(client, plan, values=ALL_MYS, **extra):
    url = reverse("observations_public:mystery_form", args=[plan.token])
    return client.post(url, mystery_post(values, why={"MYS1": "Hyvä tuntemus"}, **extra))


@pytest.fixture
def waiting(org, reviewing, client_for):
    plan = MysteryPlanFactory(salesperson=org.seller_a)
    assert complete(client_for(None), plan).status_code == 302
    return MysteryTest.objects.get(plan=plan)


def review(client, test, **data):
    return client.post(reverse("observations:review_test", args=[test.plan_id]), data)


def mystery_submissions(org, person):
    result = grades_for(org.organisation).people.get(person.pk)
    return result.submissions_per_method[Method.MYSTERY_SHOP] if result else 0


def test_with_review_on_a_completed_test_waits_and_writes_no_evidence(org, waiting):
    assert waiting.review_status == ReviewStatus.PENDING
    assert waiting.submission is None
    assert not Submission.objects.exists() and not Answer.objects.exists()
    assert {row["value"] for row in waiting.pending_answers} == set(ALL_MYS.values())
    assert waiting.plan.used_at is not None  # the link took its one answer


def test_a_waiting_test_does_not_change_the_grades_until_approved(
    org, waiting, django_capture_on_commit_callbacks
):
    assert mystery_submissions(org, org.seller_a) == 0
    with django_capture_on_commit_callbacks(execute=True):
        approve_test(waiting, reviewer=org.manager_a, now=timezone.now())
    assert mystery_submissions(org, org.seller_a) == 1


def test_a_manager_of_the_team_approves_and_the_evidence_is_written(org, waiting, client_for):
    response = review(client_for(org.manager_a), waiting, decision="approve")
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.review_status == ReviewStatus.APPROVED
    assert waiting.reviewed_by == org.manager_a and waiting.reviewed_at is not None
    submission = waiting.submission
    assert submission.method == Method.MYSTERY_SHOP
    assert submission.salesperson == org.seller_a and submission.team == org.team_a
    assert submission.answered_at == waiting.visited_at
    assert {a.question.code: (a.value, a.why) for a in submission.answers.all()} == {
        "MYS1": (4, "Hyvä tuntemus"),
        "MYS2": (3, ""),
        "MYS3": (5, ""),
    }
    assert waiting.pending_answers == []


def test_leadership_rejects_with_a_reason_and_nothing_counts(org, waiting, client_for):
    client = client_for(org.leader)
    response = review(client, waiting, decision="reject", reason="Kävi väärässä myymälässä.")
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.review_status == ReviewStatus.REJECTED
    assert waiting.rejection_reason == "Kävi väärässä myymälässä."
    assert not Submission.objects.exists()
    assert mystery_submissions(org, org.seller_a) == 0
    for user in (org.leader, org.manager_a):
        page = client_for(user).get(waiting.plan.get_absolute_url()).content.decode()
        assert "Kävi väärässä myymälässä." in page and "Suunnittele uusi käynti" in page


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_rejection_without_a_reason_is_refused_and_changes_nothing(
    org, waiting, client_for, reason
):
    response = review(client_for(org.manager_a), waiting, decision="reject", reason=reason)
    assert response.status_code == 400
    assert "Kerro, miksi hylkäät testin." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.review_status == ReviewStatus.PENDING and waiting.reviewed_by is None


def test_a_decision_that_is_neither_is_refused(org, waiting, client_for):
    response = review(client_for(org.manager_a), waiting, decision="maybe")
    assert response.status_code == 400
    waiting.refresh_from_db()
    assert waiting.review_status == ReviewStatus.PENDING


def test_a_second_decision_changes_nothing(org, waiting, client_for):
    client = client_for(org.manager_a)
    review(client, waiting, decision="approve")
    review(client, waiting, decision="reject", reason="Myöhästynyt")
    waiting.refresh_from_db()
    assert waiting.review_status == ReviewStatus.APPROVED and waiting.rejection_reason == ""
    assert Submission.objects.count() == 1
    with pytest.raises(AlreadyReviewed):
        approve_test(waiting, reviewer=org.leader, now=timezone.now())
    with pytest.raises(AlreadyReviewed):
        reject_test(waiting, reviewer=org.leader, reason="x", now=timezone.now())
    assert Submission.objects.count() == 1


def test_the_shopper_cannot_answer_again_after_a_rejection(org, waiting, client_for):
    review(client_for(org.manager_a), waiting, decision="reject", reason="Ei käynyt")
    response = complete(client_for(None), waiting.plan)
    assert response.status_code == 410
    assert MysteryTest.objects.count() == 1 and not Submission.objects.exists()


@pytest.mark.parametrize("who", ["seller_a_user", "manager_b", "stranger", None])
def test_only_the_teams_manager_or_leadership_may_review(org, waiting, client_for, who):
    if who == "stranger":
        other = OrganisationFactory(name="Muu Oy")
        user = make_user(other, Role.LEADERSHIP, username="stranger")
    else:
        user = getattr(org, who) if who else None
    client = client_for(user)
    response = review(client, waiting, decision="approve")
    expected = {"seller_a_user": 403, "manager_b": 404, "stranger": 404, None: 302}[who]
    assert response.status_code == expected
    if user is None:
        assert "/login/" in response.url
    assert client.get(waiting.plan.get_absolute_url()).status_code == expected
    listing = client.get(reverse("observations:review_list"))
    if expected == 404:  # the list opens but does not show another team's test
        assert "Aino Seller" not in listing.content.decode()
    waiting.refresh_from_db()
    assert waiting.review_status == ReviewStatus.PENDING
    assert not Submission.objects.exists()


def test_with_review_off_a_test_counts_at_once(org, client_for):
    plan = MysteryPlanFactory(salesperson=org.seller_a)
    complete(client_for(None), plan)
    test = MysteryTest.objects.get()
    assert test.review_status == ReviewStatus.NOT_REQUIRED and test.submission is not None
    assert (
        "review-form" not in client_for(org.manager_a).get(plan.get_absolute_url()).content.decode()
    )


def test_leadership_turns_review_on_and_off(org, client_for):
    client = client_for(org.leader)
    url = reverse("observations:programme_settings")
    client.post(url, {"review_required": "on"})
    assert MysterySettings.objects.get(organisation=org.organisation).review_required
    client.post(url, {})
    assert not MysterySettings.objects.get(organisation=org.organisation).review_required


@pytest.mark.parametrize("who", ["manager_a", "seller_a_user"])
def test_others_cannot_change_the_setting(org, client_for, who):
    response = client_for(getattr(org, who)).post(
        reverse("observations:programme_settings"), {"review_required": "on"}
    )
    assert response.status_code == 403
    assert not MysterySettings.objects.exists()


def test_tests_waiting_when_review_is_turned_off_still_wait(org, waiting, reviewing, client_for):
    reviewing.review_required = False
    reviewing.save()
    waiting.refresh_from_db()
    assert waiting.review_status == ReviewStatus.PENDING
    assert review(client_for(org.manager_a), waiting, decision="approve").status_code == 302


def test_the_managers_to_do_and_the_list_show_the_waiting_tests(org, waiting, client_for):
    client = client_for(org.manager_a)
    home = client.get(reverse("home")).content.decode()
    assert "Haamuasiakastesti: Aino Seller" in home and "odottaa tarkastustasi" in home
    assert 'data-testid="todo-MYSTERY_REVIEW"' in home
    assert waiting.plan.get_absolute_url() in home
    listing = client.get(reverse("observations:review_list"))
    assert list(listing.context["page"]) == [waiting]
    other = client_for(org.manager_b)
    assert "odottaa tarkastustasi" not in other.get(reverse("home")).content.decode()
    assert list(other.get(reverse("observations:review_list")).context["page"]) == []
    leader = client_for(org.leader).get(reverse("home")).content.decode()
    assert "1 testi odottaa tarkastustasi" in leader


def test_the_waiting_test_leaves_the_to_do_once_reviewed(org, waiting, client_for):
    from coaching.todo import TodoKind, todo_for

    kinds = [item.kind for item in todo_for(org.manager_a, as_of=None)]
    assert TodoKind.MYSTERY_REVIEW in kinds
    assert TodoKind.MYSTERY_REVIEW not in [i.kind for i in todo_for(org.manager_b, as_of=None)]
    review(client_for(org.manager_a), waiting, decision="approve")
    kinds = [item.kind for item in todo_for(org.manager_a, as_of=None)]
    assert TodoKind.MYSTERY_REVIEW not in kinds


def test_the_review_pages_read_a_bounded_number_of_queries(
    org, reviewing, client_for, django_assert_max_num_queries
):
    shopper = client_for(None)
    for _ in range(6):
        complete(shopper, MysteryPlanFactory(salesperson=org.seller_a))
    test = MysteryTest.objects.order_by("id").first()
    client = client_for(org.manager_a)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("observations:review_list")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(test.plan.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("observations:plan_list")).status_code == 200


def test_the_salespersons_history_marks_waiting_and_rejected_tests(org, waiting, client_for):
    url = reverse("observations:salesperson_history", args=[org.seller_a.pk])
    client = client_for(org.manager_a)
    assert "Odottaa tarkastusta" in client.get(url).content.decode()
    review(client, waiting, decision="reject", reason="Väärä myymälä")
    page = client.get(url).content.decode()
    assert "Hylätty" in page and "Väärä myymälä" in page


def test_approving_writes_in_a_bounded_number_of_queries(
    org, waiting, client_for, django_assert_max_num_queries
):
    client = client_for(org.manager_a)
    with django_assert_max_num_queries(16):
        assert review(client, waiting, decision="approve").status_code == 302
