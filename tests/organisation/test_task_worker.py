"""Background work in production: tasks queued in the database (django-tasks-db) are run by
the worker command, here in batch mode (all queued tasks, then exit). Runs on SQLite and, with
DATABASE_URL, on PostgreSQL."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from surveys.models import FollowUp
from tests.surveys.factories import SurveyLinkFactory, survey_post

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_queued_alert(client, org, settings):
    settings.TASKS = DB_BACKEND
    org.manager_a.email = "manager.a@example.com"
    org.manager_a.save()
    link = SurveyLinkFactory(salesperson=org.seller_a)

    client.post(
        reverse("surveys_public:link", kwargs={"token": link.token}),
        survey_post(q_CUS3="1", why_CUS3="Ei ollut ketään paikalla."),
    )
    assert not mail.outbox  # the answer's request only queued it
    assert DBTaskResult.objects.ready().count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    # (The answer also queued the deferred recompute of the results: not due yet.)
    task = DBTaskResult.objects.get(task_path="surveys.tasks.alert_follow_up")
    assert task.status == "SUCCESSFUL", task.traceback
    assert task.return_value == 1
    assert [message.to for message in mail.outbox] == [["manager.a@example.com"]]
    assert "Ei ollut ketään paikalla." in mail.outbox[0].body
    assert FollowUp.objects.get().alerted_at is not None
    assert DBTaskResult.objects.ready().filter(task_path=task.task_path).count() == 0
