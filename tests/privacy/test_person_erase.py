"""Leadership erases everything stored about one salesperson, after a confirmation."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils import timezone

from asiakaskunto.models import Answer, Profile, Role, Submission
from observations.models import Checklist, ChecklistRevision, MysteryPlan
from privacy import registry
from surveys.models import (
    FollowUp,
    FollowUpNote,
    FollowUpStatusChange,
    Invitation,
    SurveyLink,
    SurveyResponse,
)
from tests.factories import OrganisationFactory, make_user
from tests.privacy.factories import everything_about


def url(person):
    return f"/privacy/people/{person.pk}/erase/"


def login_records(username):
    now = timezone.now()
    AccessLog.objects.create(username=username, ip_address="10.0.0.1", attempt_time=now)
    AccessAttempt.objects.create(
        username=username, ip_address="10.0.0.1", user_agent="x", failures_since_start=2
    )
    AccessFailureLog.objects.create(username=username, ip_address="10.0.0.1")


def test_it_asks_first(org, client_for):
    response = client_for(org.leader).get(url(org.seller_a))
    assert response.status_code == 200
    assert b"Aino Seller" in response.content


def test_without_the_tick_it_says_so_and_erases_nothing(org, client_for):
    everything_about(org, org.seller_a)
    response = client_for(org.leader).post(url(org.seller_a), {})
    assert response.status_code == 200
    assert "Rastita ruutu" in response.content.decode()
    org.seller_a.refresh_from_db()
    assert org.seller_a.name == "Aino Seller"
    assert Submission.objects.filter(salesperson=org.seller_a).exists()


def test_it_erases_everything_about_the_person(org, client_for, django_assert_max_num_queries):
    everything_about(org, org.seller_a)
    everything_about(org, org.seller_b)
    login_records("seller_a")
    login_records("seller_b")
    notes_before = FollowUpNote.objects.count()
    client = client_for(org.leader)
    with django_assert_max_num_queries(80):
        response = client.post(url(org.seller_a), {"confirm": "on"})
    assert response.status_code == 302
    person = org.seller_a
    person.refresh_from_db()
    assert "Aino" not in person.name and not person.active and person.user is None
    assert not Submission.objects.filter(salesperson=person).exists()
    assert not Checklist.objects.filter(salesperson=person).exists()
    assert not MysteryPlan.objects.filter(salesperson=person).exists()
    assert not SurveyLink.objects.filter(salesperson=person).exists()
    assert not Invitation.objects.filter(salesperson=person).exists()
    assert not FollowUp.objects.filter(salesperson=None).exists()
    assert not FollowUpNote.objects.filter(follow_up__salesperson__isnull=True).exists()
    assert FollowUpNote.objects.count() == FollowUpStatusChange.objects.count() == notes_before - 1
    user = org.seller_a_user
    user.refresh_from_db()
    assert (user.username, user.first_name, user.last_name, user.email) == (
        f"erased-{user.pk}",
        "",
        "",
        "",
    )
    assert not user.is_active and not user.has_usable_password()
    assert not Profile.objects.filter(user=user).exists()
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        assert not model.objects.filter(username="seller_a").exists()
        assert model.objects.filter(username="seller_b").exists()
    # The colleague's data stays whole.
    assert Checklist.objects.filter(salesperson=org.seller_b).count() == 1
    assert ChecklistRevision.objects.count() == 1
    assert SurveyResponse.objects.filter(submission__salesperson=org.seller_b).count() == 1
    assert Answer.objects.for_salesperson(org.seller_b).count() == 2


def test_an_app_s_registered_part_is_erased_first_and_a_failure_erases_nothing(org):
    everything_about(org, org.seller_a)
    seen = []

    def erase_extra(person):
        seen.append(person.user_id)  # the account is still linked when the apps erase
        raise RuntimeError("disk full")

    registry.register("extra", erase_person=erase_extra)
    try:
        with pytest.raises(RuntimeError):
            registry.erase_person(org.seller_a)
    finally:
        registry.unregister("extra")
    assert seen == [org.seller_a_user.pk]
    org.seller_a.refresh_from_db()
    assert org.seller_a.name == "Aino Seller"
    assert Checklist.objects.filter(salesperson=org.seller_a).exists()


def test_the_erased_user_cannot_log_in(org, client):
    from tests.factories import PASSWORD

    client.force_login(org.seller_a_user)
    registry.erase_person(org.seller_a)
    assert client.get("/").status_code == 302  # the open session ended
    for username in ("seller_a", f"erased-{org.seller_a_user.pk}"):
        response = client.post("/login/", {"username": username, "password": PASSWORD})
        assert response.status_code == 200  # the form again, no redirect in


@pytest.mark.parametrize("who", ["manager_a", "seller_a_user"])
def test_it_refuses_managers_and_salespeople(org, client_for, who):
    assert (
        client_for(getattr(org, who)).post(url(org.seller_a), {"confirm": "on"}).status_code == 403
    )
    org.seller_a.refresh_from_db()
    assert org.seller_a.name == "Aino Seller"


def test_it_hides_another_organisations_people(org, client_for):
    other_leader = make_user(OrganisationFactory(), Role.LEADERSHIP, username="other_leader")
    response = client_for(other_leader).post(url(org.seller_a), {"confirm": "on"})
    assert response.status_code == 404
    org.seller_a.refresh_from_db()
    assert org.seller_a.name == "Aino Seller"


def test_leadership_finds_the_links_on_the_team_page(org, client_for):
    page = client_for(org.leader).get(f"/teams/{org.team_a.pk}/").content.decode()
    assert url(org.seller_a) in page
    page = client_for(org.manager_a).get(f"/teams/{org.team_a.pk}/").content.decode()
    assert url(org.seller_a) not in page


def test_the_admin_s_actions_use_the_same_erasure(org, client_for):
    everything_about(org, org.seller_a)
    client = client_for(org.admin)
    admin_url = "/admin/asiakaskunto/salesperson/"
    response = client.post(
        admin_url, {"action": "export_data", "_selected_action": [org.seller_a.pk]}
    )
    assert "Oli töykeä" in response.content.decode()
    client.post(admin_url, {"action": "erase_data", "_selected_action": [org.seller_a.pk]})
    assert not Submission.objects.filter(salesperson=org.seller_a).exists()
    assert not Checklist.objects.filter(salesperson=org.seller_a).exists()
