"""Follow-ups keep their history: several notes, each with who and when; every status change
with who and when; the time to the first contact beside the time to resolve; a phone number
is a tap-to-call link."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from asiakaskunto.models import Method
from surveys.models import FollowUp, FollowUpNote, FollowUpStatusChange, SurveyResponse
from surveys.services import update_follow_up
from tests.factories import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def follow_up(org):
    submission = submit(org.seller_a, Method.CUSTOMER, {"CUS3": 2, "CUS1": 4})
    SurveyResponse.objects.create(
        submission=submission, language="fi", consent=True, contact="Matti, 040 123 4567"
    )
    return FollowUp.objects.create(
        organisation=org.organisation,
        submission=submission,
        team=org.team_a,
        salesperson=org.seller_a,
        reason="CUS3=2",
        answered_at=timezone.now() - timedelta(hours=10),
    )


def page(follow_up):
    return reverse("surveys:follow_up", args=[follow_up.pk])


def test_every_note_is_kept_with_its_author_and_time(client_for, org, follow_up):
    manager = client_for(org.manager_a)
    manager.post(page(follow_up), {"status": "OPEN", "note": "Soitin, ei vastannut."})
    manager.post(page(follow_up), {"status": "CONTACTED", "note": "Tavoitin, sovittiin vaihto."})
    notes = list(follow_up.notes.order_by("created_at", "id"))
    assert [note.text for note in notes] == ["Soitin, ei vastannut.", "Tavoitin, sovittiin vaihto."]
    assert {note.author for note in notes} == {org.manager_a}
    assert all(note.created_at for note in notes)


def test_every_status_change_is_recorded_with_who_and_when(client_for, org, follow_up):
    client_for(org.manager_a).post(page(follow_up), {"status": "CONTACTED", "note": ""})
    client_for(org.leader).post(page(follow_up), {"status": "RESOLVED", "note": "Hyvitys."})
    client_for(org.manager_a).post(page(follow_up), {"status": "OPEN", "note": "Avasin uudelleen."})
    changes = list(follow_up.status_changes.order_by("changed_at", "id"))
    assert [(c.from_status, c.to_status, c.changed_by) for c in changes] == [
        ("OPEN", "CONTACTED", org.manager_a),
        ("CONTACTED", "RESOLVED", org.leader),
        ("RESOLVED", "OPEN", org.manager_a),
    ]
    follow_up.refresh_from_db()
    assert follow_up.resolved_at is None and follow_up.contacted_at is not None


def test_saving_nothing_new_is_refused_and_nothing_recorded(client_for, org, follow_up):
    response = client_for(org.manager_a).post(page(follow_up), {"status": "OPEN", "note": "  "})
    assert response.status_code == 400
    assert "Muuta tilaa tai kirjoita muistiinpano." in response.content.decode()
    assert not FollowUpNote.objects.exists() and not FollowUpStatusChange.objects.exists()


def test_resolving_without_a_note_records_nothing(client_for, org, follow_up):
    response = client_for(org.manager_a).post(page(follow_up), {"status": "RESOLVED"})
    assert response.status_code == 400
    assert not FollowUpStatusChange.objects.exists()
    follow_up.refresh_from_db()
    assert follow_up.status == "OPEN"


def test_the_time_to_first_contact_is_kept_and_reported(client_for, org, follow_up):
    now = timezone.now()
    update_follow_up(follow_up, status="CONTACTED", note="", user=org.manager_a, now=now)
    later = now + timedelta(hours=5)
    update_follow_up(follow_up, status="RESOLVED", note="Ok.", user=org.manager_a, now=later)
    follow_up.refresh_from_db()
    assert 9.9 < follow_up.hours_to_first_contact < 10.1
    assert 14.9 < follow_up.hours_to_resolve < 15.1
    response = client_for(org.manager_a).get(reverse("surveys:follow_ups"))
    row = next(row for row in response.context["stats"] if row["team"] == org.team_a)
    assert 9.9 < row["median_hours_to_contact"] < 10.1 and row["contacted"] == 1
    assert 14.9 < row["median_hours"] < 15.1
    html = client_for(org.manager_a).get(page(follow_up)).content.decode()
    assert "10,0 tuntia vastauksen jälkeen" in html


def test_the_page_shows_the_history_in_order_with_a_bounded_number_of_queries(
    client_for, org, follow_up, django_assert_max_num_queries
):
    now = timezone.now()
    for index in range(6):
        update_follow_up(
            follow_up,
            status=["CONTACTED", "OPEN"][index % 2],
            note=f"Muistiinpano {index}",
            user=org.manager_a,
            now=now + timedelta(minutes=index),
        )
    client = client_for(org.manager_a)
    with django_assert_max_num_queries(14):
        response = client.get(page(follow_up))
    html = response.content.decode()
    positions = [html.index(f"Muistiinpano {index}") for index in range(6)]
    assert positions == sorted(positions)
    assert html.count("Tila: avoin → yhteydessä") == 3
    assert ">Historia<" in html  # the follow-up's own word, not the admin's "Muokkaushistoria"


def test_a_phone_number_is_a_tap_to_call_link(client_for, org, follow_up):
    html = client_for(org.manager_a).get(page(follow_up)).content.decode()
    assert 'href="tel:0401234567"' in html and "Matti, " in html


def test_an_email_address_is_a_mail_link_and_text_is_escaped(client_for, org, follow_up):
    SurveyResponse.objects.filter(submission=follow_up.submission).update(
        contact="<b>x</b> matti@example.com tai +358 40 123 4567"
    )
    html = client_for(org.manager_a).get(page(follow_up)).content.decode()
    assert 'href="mailto:matti@example.com"' in html
    assert 'href="tel:+358401234567"' in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html


def test_another_teams_manager_can_neither_see_nor_write(client_for, org, follow_up):
    client = client_for(org.manager_b)
    assert client.get(page(follow_up)).status_code == 404
    assert client.post(page(follow_up), {"status": "CONTACTED", "note": "x"}).status_code == 404
    assert client_for(org.seller_a_user).get(page(follow_up)).status_code == 403
    assert not FollowUpNote.objects.exists() and not FollowUpStatusChange.objects.exists()
