"""Personal invitations: sent in the background, answered once, reminded once, addresses erased."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from asiakaskunto.models import Organisation, Submission
from surveys.models import Invitation, SurveyResponse
from surveys.services import AlreadyAnswered, SurveyAnswers, submit_survey, survey_questions
from tests.surveys.factories import InvitationFactory, survey_post

pytestmark = pytest.mark.django_db


def url(invitation, lang=None):
    path = reverse("surveys_public:invitation", kwargs={"token": invitation.token})
    return f"{path}?lang={lang}" if lang else path


def test_a_manager_invites_typed_addresses_and_they_get_an_email_each(
    client_for, org, django_capture_on_commit_callbacks
):
    client = client_for(org.manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("surveys:invitations"),
            {
                "salesperson": org.seller_a.pk,
                "emails": "matti@example.com, liisa@example.com;\nmatti@example.com",
                "language": "fi",
            },
        )
    assert response.status_code == 302
    invitations = Invitation.objects.order_by("id")
    assert [i.email for i in invitations] == ["matti@example.com", "liisa@example.com"]
    assert all(len(i.token) >= 43 and i.sent_at for i in invitations)
    assert len({i.token for i in invitations}) == 2
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.to == ["matti@example.com"]
    assert "Miten onnistuimme?" in message.subject
    assert url(invitations[0], "fi") in message.body
    assert "Aino Seller" in message.body


def test_a_manager_invites_from_a_csv_file(client_for, org, django_capture_on_commit_callbacks):
    csv = SimpleUploadedFile(
        "asiakkaat.csv",
        "nimi;sähköposti\nMatti;matti@example.com\nLiisa;liisa@example.com\n".encode(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(org.manager_a).post(
            reverse("surveys:invitations"),
            {"salesperson": org.seller_a.pk, "emails": "", "csv_file": csv, "language": "sv"},
        )
    assert response.status_code == 302
    assert Invitation.objects.count() == 2
    assert "Hur lyckades vi?" in mail.outbox[0].subject


def test_bad_addresses_are_named_and_nothing_is_sent(client_for, org):
    response = client_for(org.manager_a).post(
        reverse("surveys:invitations"),
        {"salesperson": org.seller_a.pk, "emails": "ok@example.com\nei-osoite", "language": "fi"},
    )
    assert response.status_code == 400
    assert "Nämä eivät ole sähköpostiosoitteita: ei-osoite" in response.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


def test_a_manager_cannot_invite_for_another_teams_salesperson(client_for, org):
    response = client_for(org.manager_a).post(
        reverse("surveys:invitations"),
        {"salesperson": org.seller_b.pk, "emails": "a@example.com", "language": "fi"},
    )
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_the_invitation_page_is_not_used_up_by_opening_it(client, org):
    invitation = InvitationFactory(salesperson=org.seller_a)
    assert client.get(url(invitation)).status_code == 200
    assert client.get(url(invitation)).status_code == 200
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_an_answered_invitation_stores_once_and_erases_the_address(client, org):
    invitation = InvitationFactory(salesperson=org.seller_a)
    response = client.post(url(invitation), survey_post(q_CUS3="10"))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.used_at is not None and invitation.email == ""
    stored = SurveyResponse.objects.get()
    assert stored.invitation == invitation
    assert stored.submission.salesperson == org.seller_a


def test_the_same_invitation_cannot_be_answered_twice(client, org):
    invitation = InvitationFactory(salesperson=org.seller_a)
    client.post(url(invitation), survey_post())
    again = client.post(url(invitation), survey_post(q_CUS3="3"))
    assert again.status_code == 409
    assert "Tähän kyselyyn on jo vastattu" in again.content.decode()
    assert Submission.objects.count() == 1
    page = client.get(url(invitation))
    assert "Tähän kyselyyn on jo vastattu" in page.content.decode()


def test_an_expired_invitation_says_so_and_stores_nothing(client, org):
    invitation = InvitationFactory(
        salesperson=org.seller_a, expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert client.get(url(invitation)).status_code == 410
    response = client.post(url(invitation), survey_post())
    assert response.status_code == 410
    assert "Kutsu on vanhentunut" in response.content.decode()
    assert not Submission.objects.exists()


def test_an_invitation_in_swedish_opens_in_swedish(client, org):
    invitation = InvitationFactory(salesperson=org.seller_a, language="sv")
    assert "Fick du det du kom för?" in client.get(url(invitation)).content.decode()


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database locks whole tables across threads; "
    "PostgreSQL runs this, and the next two tests cover both guards on SQLite",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_of_one_invitation_store_exactly_one_answer(org):
    invitation = InvitationFactory(salesperson=org.seller_a)
    barrier = threading.Barrier(8)
    statuses = []

    def submit(value):
        try:
            barrier.wait()
            statuses.append(
                Client().post(url(invitation), survey_post(q_CUS3=str(value))).status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(value,)) for value in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302] + [409] * 7
    assert Submission.objects.count() == 1
    assert SurveyResponse.objects.filter(invitation=invitation).count() == 1


def test_a_submit_that_lost_the_race_stores_nothing(org):
    """The invitation was answered in another request after this one loaded it."""
    invitation = InvitationFactory(salesperson=org.seller_a)
    stale = Invitation.objects.get(pk=invitation.pk)
    Invitation.objects.filter(pk=invitation.pk).update(used_at=timezone.now())
    with pytest.raises(AlreadyAnswered):
        submit_survey(
            _answers(), organisation=org.organisation, team=org.team_a,
            salesperson=org.seller_a, now=timezone.now(), invitation=stale,
        )  # fmt: skip
    assert not Submission.objects.exists()


def test_the_unique_constraint_backstops_a_second_answer(org):
    """Even if the conditional update were bypassed, the database refuses a second response
    for one invitation, and the half-written submission is rolled back."""
    invitation = InvitationFactory(salesperson=org.seller_a)
    submit_survey(
        _answers(), organisation=org.organisation, team=org.team_a,
        salesperson=org.seller_a, now=timezone.now(), invitation=invitation,
    )  # fmt: skip
    Invitation.objects.filter(pk=invitation.pk).update(used_at=None)  # simulate the bypass
    with pytest.raises(AlreadyAnswered):
        submit_survey(
            _answers(), organisation=org.organisation, team=org.team_a,
            salesperson=org.seller_a, now=timezone.now(), invitation=invitation,
        )  # fmt: skip
    assert Submission.objects.count() == 1


def _answers():
    questions = {q.code: q for q in survey_questions(Organisation.objects.first())}
    return SurveyAnswers(
        values={"CUS1": (4, ""), "CUS2": (4, ""), "CUS3": (8, "")},
        language="fi",
        consent=True,
        questions=questions,
    )


def test_the_reminder_command_reminds_once_and_erases_expired_addresses(org, settings):
    settings.SURVEY_REMINDER_AFTER_DAYS = 5
    now = timezone.now()
    due = InvitationFactory(salesperson=org.seller_a, sent_at=now - timedelta(days=6))
    fresh = InvitationFactory(salesperson=org.seller_a, sent_at=now - timedelta(days=1))
    answered = InvitationFactory(
        salesperson=org.seller_a, sent_at=now - timedelta(days=6), used_at=now, email=""
    )
    expired = InvitationFactory(
        salesperson=org.seller_a,
        sent_at=now - timedelta(days=20),
        expires_at=now - timedelta(days=1),
    )
    call_command("send_survey_reminders", stdout=open("/dev/null", "w"))
    assert [message.to for message in mail.outbox] == [[due.email]]
    assert "Muistutus" in mail.outbox[0].subject
    due.refresh_from_db()
    assert due.reminded_at is not None
    call_command("send_survey_reminders", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 1
    expired.refresh_from_db()
    fresh.refresh_from_db()
    answered.refresh_from_db()
    assert expired.email == "" and expired.email_erased_at is not None
    assert fresh.email != ""
