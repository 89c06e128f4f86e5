"""With REDIS_URL set and Redis unreachable, nothing answers 500: the customer's answer is
stored from the database, the rate limit fails open with a log line, and the staff pages are
computed without the cache."""

import logging
import socket

import pytest
from django.urls import reverse

from asiakaskunto import cache as project_cache
from asiakaskunto.models import Submission
from observations.models import MysteryTest
from tests.observations.factories import ALL_MYS, MysteryPlanFactory, mystery_post
from tests.surveys.factories import InvitationFactory, SurveyLinkFactory, survey_post


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends


@pytest.fixture
def redis_down(settings):
    unreachable = {
        "BACKEND": "asiakaskunto.cache.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    settings.CACHES = {"default": unreachable, "shared": unreachable}
    return settings


def test_customers_answer_while_the_cache_is_down(org, redis_down, client, caplog):
    redis_down.SURVEY_RATE_LIMIT = 2
    link = SurveyLinkFactory(salesperson=org.seller_a)
    url = reverse("surveys_public:link", args=[link.token])
    assert client.get(url).status_code == 200
    with caplog.at_level(logging.ERROR, logger="asiakaskunto.cache"):
        for value in range(5):  # over the limit of 2: it fails open
            response = client.post(url, survey_post(q_CUS3=str(value)))
            assert response.status_code == 302, response.content[:300]
    assert Submission.objects.filter(salesperson=org.seller_a).count() == 5
    assert any("rate limits are not enforced" in r.getMessage() for r in caplog.records)

    invitation = InvitationFactory(salesperson=org.seller_a)
    invitation_url = reverse("surveys_public:invitation", args=[invitation.token])
    assert client.get(invitation_url).status_code == 200
    assert client.post(invitation_url, survey_post()).status_code == 302
    assert client.post(invitation_url, survey_post()).status_code == 409  # still single-use
    assert Submission.objects.count() == 6


def test_a_link_switched_off_while_the_cache_is_down_stops_at_once(org, redis_down, client):
    link = SurveyLinkFactory(salesperson=org.seller_a)
    url = reverse("surveys_public:link", args=[link.token])
    assert client.get(url).status_code == 200
    link.active = False
    link.save()
    assert client.post(url, survey_post()).status_code == 404
    assert not Submission.objects.exists()


def test_the_mystery_shopper_answers_while_the_cache_is_down(org, redis_down, client):
    plan = MysteryPlanFactory(salesperson=org.seller_a)
    url = reverse("observations_public:mystery_form", args=[plan.token])
    assert client.post(url, mystery_post(ALL_MYS)).status_code == 302
    assert MysteryTest.objects.count() == 1


def test_staff_pages_are_computed_without_the_cache(org, redis_down, client_for):
    link = SurveyLinkFactory(salesperson=org.seller_a)
    anonymous = client_for(None)
    anonymous.post(reverse("surveys_public:link", args=[link.token]), survey_post())
    client = client_for(org.leader)
    for url in [
        reverse("home"),
        reverse("reports:dashboard"),
        reverse("reports:team_dashboard", args=[org.team_a.pk]),
        reverse("reports:person", args=[org.seller_a.pk]),
        reverse("reports:exports"),
        reverse("reports:export_answers_csv"),
        reverse("reports:export_grades_xlsx"),
        reverse("surveys:links"),
        reverse("surveys:follow_ups"),
    ]:
        assert client.get(url).status_code == 200, url
    # New answers show at once: nothing computed while the cache was down is reused as current.
    before = client.get(reverse("reports:export_answers_csv"))
    count_before = b"".join(before.streaming_content).count(b"\n")
    anonymous.post(reverse("surveys_public:link", args=[link.token]), survey_post(q_CUS3="3"))
    after = client.get(reverse("reports:export_answers_csv"))
    assert b"".join(after.streaming_content).count(b"\n") > count_before


def test_an_unreachable_cache_is_tried_again_only_after_a_pause(monkeypatch, caplog):
    unreachable = project_cache.RedisCache(f"redis://127.0.0.1:{closed_port()}/0", {})
    calls = []
    original = project_cache._ClientPerPool.get_client

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(project_cache._ClientPerPool, "get_client", counting)
    with caplog.at_level(logging.ERROR, logger="asiakaskunto.cache"):
        assert unreachable.get("a", "fallback") == "fallback"
        assert unreachable.add("a", 1) is True
        assert unreachable.get_many(["a", "b"]) == {}
        with pytest.raises(ValueError):
            unreachable.incr("a")
        unreachable.set("a", 1)
        unreachable.delete_many(["a"])
    assert len(calls) == 1  # the first failure pauses the tries
    assert len([r for r in caplog.records if r.name == "asiakaskunto.cache"]) == 1
    monkeypatch.setattr(project_cache.time, "monotonic", lambda: 1e12)  # the pause is over
    unreachable.get("a")
    assert len(calls) == 2


def test_a_redis_that_answers_with_errors_is_treated_as_down(
    org, redis_down, client, client_for, monkeypatch
):
    """READONLY after a failover, OOM or MISCONF are errors of a reachable Redis: the answer is
    stored and the pages are computed all the same (they answered 500)."""
    from redis.exceptions import ResponseError

    def read_only(*args, **kwargs):
        raise ResponseError("READONLY You can't write against a read only replica.")

    for operation in ("get", "get_many", "add", "set", "incr", "delete", "has_key"):
        monkeypatch.setattr(project_cache._ClientPerPool, operation, read_only)
    link = SurveyLinkFactory(salesperson=org.seller_a)
    url = reverse("surveys_public:link", args=[link.token])
    assert client.post(url, survey_post()).status_code == 302
    assert Submission.objects.filter(salesperson=org.seller_a).count() == 1
    leader = client_for(org.leader)
    for page in (reverse("home"), reverse("reports:dashboard")):
        assert leader.get(page).status_code == 200, page
