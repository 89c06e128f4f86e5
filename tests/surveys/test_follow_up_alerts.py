"""When an unhappy answer opens a follow-up, the team's managers get an e-mail in the
background: question wordings in the manager's language (never codes), the "why" texts, the
contact details, and an absolute link to the follow-up."""

import email.policy

import pytest
from django.core import mail
from django.urls import reverse

from asiakaskunto.models import EmailPreference
from surveys.models import FollowUp
from tests.factories import make_user
from tests.surveys.factories import survey_post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_host(settings):
    settings.ALLOWED_HOSTS = ["kunto.example"]


@pytest.fixture
def managers_with_addresses(org):
    org.manager_a.email = "manager.a@example.com"
    org.manager_a.save()
    org.manager_b.email = "manager.b@example.com"
    org.manager_b.save()
    return org


def answer(client, link, capture, **overrides):
    path = reverse("surveys_public:link", kwargs={"token": link.token})
    with capture(execute=True):
        return client.post(path, survey_post(**overrides), HTTP_HOST="kunto.example")


def test_the_teams_manager_gets_the_answers_as_question_texts(
    client, seller_link, managers_with_addresses, django_capture_on_commit_callbacks
):
    answer(
        client,
        seller_link,
        django_capture_on_commit_callbacks,
        q_CUS3="3",
        why_CUS3="Jonotin puoli tuntia.",
        contact="Matti, 040 123 4567",
    )
    follow_up = FollowUp.objects.get()
    assert [message.to for message in mail.outbox] == [["manager.a@example.com"]]
    message = mail.outbox[0]
    assert "Suosittelisitko tuotteitamme ja palveluitamme kavereillesi?" in message.body
    assert "Saitko sen mitä tulit hakemaan?" in message.body
    assert "CUS3" not in message.body and "CUS3" not in message.subject
    assert "Jonotin puoli tuntia." in message.body
    assert "Matti, 040 123 4567" in message.body
    assert f"http://kunto.example/surveys/follow-ups/{follow_up.pk}/" in message.body
    assert "Aino Seller" in message.subject
    follow_up.refresh_from_db()
    assert follow_up.alerted_at is not None


def test_the_alert_is_in_the_managers_language(
    client, seller_link, managers_with_addresses, django_capture_on_commit_callbacks
):
    EmailPreference.objects.create(user=managers_with_addresses.manager_a, language="sv")
    answer(client, seller_link, django_capture_on_commit_callbacks, q_CUS1="1")
    body = mail.outbox[0].body
    assert "Fick du det du kom för?" in body
    assert "Saitko sen mitä tulit hakemaan?" not in body


def test_a_customer_without_contact_details_is_said_so(
    client, seller_link, managers_with_addresses, django_capture_on_commit_callbacks
):
    EmailPreference.objects.create(user=managers_with_addresses.manager_a, language="en")
    answer(client, seller_link, django_capture_on_commit_callbacks, q_CUS3="0")
    body = mail.outbox[0].body
    assert "Would you recommend our products and services to your friends?" in body
    assert "The customer left no contact details." in body


def test_a_happy_answer_sends_nothing(
    client, seller_link, managers_with_addresses, django_capture_on_commit_callbacks
):
    answer(client, seller_link, django_capture_on_commit_callbacks)
    assert not FollowUp.objects.exists() and not mail.outbox


def test_every_manager_of_the_team_gets_one_and_other_teams_none(
    client, seller_link, managers_with_addresses, django_capture_on_commit_callbacks
):
    org = managers_with_addresses
    second = make_user(org.organisation, "MANAGER", username="second", email="second@example.com")
    org.team_a.managers.add(second)
    answer(client, seller_link, django_capture_on_commit_callbacks, q_CUS3="2")
    assert sorted(message.to[0] for message in mail.outbox) == [
        "manager.a@example.com",
        "second@example.com",
    ]


def test_a_manager_who_switched_alerts_off_gets_none(
    client, seller_link, managers_with_addresses, django_capture_on_commit_callbacks
):
    EmailPreference.objects.create(user=managers_with_addresses.manager_a, follow_up_alerts=False)
    answer(client, seller_link, django_capture_on_commit_callbacks, q_CUS3="2")
    assert FollowUp.objects.exists() and not mail.outbox


def test_the_alert_carries_a_one_click_unsubscribe(
    client, seller_link, managers_with_addresses, django_capture_on_commit_callbacks
):
    answer(client, seller_link, django_capture_on_commit_callbacks, q_CUS3="2")
    message = mail.outbox[0]
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http://kunto.example/account/email/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert header.strip("<>") in message.body
    # Written as it is (not as RFC 2047 encoded words, which clients do not read there).
    assert f"List-Unsubscribe: {header}" in message.message(policy=email.policy.SMTP).as_string()


def test_a_retried_task_sends_nothing_twice(
    client, seller_link, managers_with_addresses, django_capture_on_commit_callbacks
):
    from surveys.alerts import send_follow_up_alert

    answer(client, seller_link, django_capture_on_commit_callbacks, q_CUS3="2")
    follow_up = FollowUp.objects.get()
    assert send_follow_up_alert(follow_up.submission_id) == 0
    assert len(mail.outbox) == 1


def test_the_answer_only_queues_the_alert(
    client, seller_link, managers_with_addresses, django_capture_on_commit_callbacks, settings
):
    """With a real queue the answer's request sends nothing itself: it leaves one task."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    answer(client, seller_link, django_capture_on_commit_callbacks, q_CUS3="2")
    assert not mail.outbox
    # (and the deferred recompute of the results, reports.results_cache)
    task = DBTaskResult.objects.exclude(task_path="reports.results_cache.recompute").get()
    assert task.task_path == "surveys.tasks.alert_follow_up"
    assert task.args_kwargs["args"][0] == FollowUp.objects.get().submission_id
