"""Several posts of one mystery link or one checklist form at the same moment: exactly one
record. Threads use their own database connections, hence transaction=True."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from asiakaskunto.models import Answer, Submission
from observations.models import Checklist, MysteryTest

from .factories import (
    ALL_MYS,
    ALL_OBS,
    MysteryPlanFactory,
    checklist_post,
    ensure_question_bank,
    mystery_post,
)

pytestmark = pytest.mark.django_db(transaction=True)

PARALLEL = 8


def run_together(post):
    """Run ``post`` in PARALLEL threads released at once; returns their status codes."""
    barrier = threading.Barrier(PARALLEL)
    codes, errors = [], []

    def worker():
        try:
            barrier.wait()
            codes.append(post())
        except Exception as error:  # noqa: BLE001 — reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return codes


@pytest.fixture(autouse=True)
def question_bank():
    ensure_question_bank()


@pytest.fixture
def threaded_db():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads cannot share an in-memory SQLite database")


def test_concurrent_posts_of_one_mystery_link_store_exactly_one_test(org, threaded_db):
    plan = MysteryPlanFactory(salesperson=org.seller_a)
    url = reverse("observations_public:mystery_form", args=[plan.token])
    data = mystery_post(ALL_MYS)
    codes = run_together(lambda: Client().post(url, data).status_code)
    assert sorted(codes) == [302] + [410] * (PARALLEL - 1)
    assert MysteryTest.objects.count() == 1
    assert Submission.objects.count() == 1 and Answer.objects.count() == 3


def test_concurrent_posts_of_one_checklist_form_store_exactly_one_checklist(org, threaded_db):
    data = checklist_post(org.seller_a, ALL_OBS)
    url = reverse("observations:checklist_create")

    def post():
        client = Client()
        client.force_login(org.manager_a)
        return client.post(url, data).status_code

    codes = run_together(post)
    assert codes == [302] * PARALLEL
    assert Checklist.objects.count() == 1
    assert Submission.objects.count() == 1 and Answer.objects.count() == 3


def test_sequential_double_submit_of_one_mystery_link_stores_one_test(org, client_for):
    plan = MysteryPlanFactory(salesperson=org.seller_a)
    url = reverse("observations_public:mystery_form", args=[plan.token])
    client = client_for(None)
    assert client.post(url, mystery_post(ALL_MYS)).status_code == 302
    assert client.post(url, mystery_post(ALL_MYS)).status_code == 410
    assert MysteryTest.objects.count() == 1 and Submission.objects.count() == 1


def test_concurrent_approvals_of_one_waiting_test_write_its_evidence_once(org, threaded_db):
    from observations.models import MysterySettings, ReviewStatus

    MysterySettings.objects.create(organisation=org.organisation, review_required=True)
    plan = MysteryPlanFactory(salesperson=org.seller_a)
    url = reverse("observations_public:mystery_form", args=[plan.token])
    assert Client().post(url, mystery_post(ALL_MYS)).status_code == 302
    review = reverse("observations:review_test", args=[plan.pk])

    def approve():
        client = Client()
        client.force_login(org.manager_a)
        return client.post(review, {"decision": "approve"}).status_code

    assert run_together(approve) == [302] * PARALLEL
    test = MysteryTest.objects.get()
    assert test.review_status == ReviewStatus.APPROVED
    assert Submission.objects.count() == 1 and Answer.objects.count() == 3
