"""Several app processes without Redis agree on what decides correctness: a link switched off
or rotated in one process stops in every other at once, the rate limit counts one client's
answers across all processes (the shared cache is a table in the database), and an invitation
is answered once (the database decides).

Two worker processes answer through Django's test client against the test database, while
this process plays the manager. PostgreSQL only: the SQLite test database lives in memory,
which another process cannot open."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from asiakaskunto.models import Submission
from tests.surveys.factories import InvitationFactory, SurveyLinkFactory, survey_post

pytestmark = pytest.mark.django_db(transaction=True)

PROJECT = Path(__file__).resolve().parents[2]
CLIENT_ADDRESS = "203.0.113.9"

WORKER = f"""
import json, sys
import django
django.setup()
from django.test import Client
client = Client(REMOTE_ADDR={CLIENT_ADDRESS!r}, SERVER_NAME="localhost")
for line in sys.stdin:
    command = json.loads(line)
    if command["data"] is None:
        response = client.get(command["path"])
    else:
        response = client.post(command["path"], command["data"])
    print(response.status_code, flush=True)
"""


class Worker:
    """An app process of its own, with its own memory, on the test database."""

    def __init__(self, database_url: str):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "asiakaskunto.settings",
            "DATABASE_URL": database_url,
            "REDIS_URL": "",
            "SURVEY_RATE_LIMIT": str(settings.SURVEY_RATE_LIMIT),
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER],
            cwd=PROJECT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def request(self, path: str, data: dict | None = None) -> int:
        self.process.stdin.write(json.dumps({"path": path, "data": data}) + "\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def stop(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture
def workers():
    if connection.vendor != "postgresql":
        pytest.skip("other processes cannot open the in-memory SQLite test database")
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    started = [Worker(url), Worker(url)]
    yield started
    for worker in started:
        worker.stop()


def link_url(token: str) -> str:
    return reverse("surveys_public:link", args=[token])


def answer(n: int) -> dict:
    """A survey answer of its own (an identical one from the same client counts once)."""
    return survey_post(q_CUS3=str(n % 11), why_CUS1=f"Vastaus {n}")


def test_a_switched_off_link_stops_in_every_process(org, workers):
    link = SurveyLinkFactory(salesperson=org.seller_a)
    for worker in workers:  # each process builds and keeps the link
        assert worker.request(link_url(link.token)) == 200
        assert worker.request(link_url(link.token), answer(workers.index(worker))) == 302
    link.active = False
    link.save(update_fields=["active"])
    stored = Submission.objects.count()
    for worker in workers:
        assert worker.request(link_url(link.token), answer(10 + workers.index(worker))) == 404
    assert Submission.objects.count() == stored


def test_a_rotated_token_stops_in_every_process(org, workers):
    link = SurveyLinkFactory(salesperson=org.seller_a)
    old = link.token
    for worker in workers:
        assert worker.request(link_url(old), answer(workers.index(worker))) == 302
    link.rotate()
    stored = Submission.objects.count()
    for worker in workers:
        assert worker.request(link_url(old), answer(10 + workers.index(worker))) == 404
        assert worker.request(link_url(link.token), answer(20 + workers.index(worker))) == 302
    assert Submission.objects.count() == stored + 2


def test_the_rate_limit_counts_across_processes(org, workers):
    link = SurveyLinkFactory(salesperson=org.seller_a)
    limit = settings.SURVEY_RATE_LIMIT
    statuses = [workers[n % 2].request(link_url(link.token), answer(n)) for n in range(2 * limit)]
    assert statuses.count(302) == limit
    assert statuses.count(429) == limit
    assert Submission.objects.count() == limit


def test_an_invitation_is_answered_once_across_processes(org, workers):
    invitation = InvitationFactory(salesperson=org.seller_a)
    path = reverse("surveys_public:invitation", args=[invitation.token])
    statuses = sorted(worker.request(path, answer(n)) for n, worker in enumerate(workers))
    assert statuses == [302, 409]
    assert Submission.objects.count() == 1
