"""A standing link is built once per process and stamp: the shared cache holds the stamp, the
process the link; a forgotten or foreign stamp makes the process build it anew."""

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.utils import timezone

from asiakaskunto.cache import shared_cache as cache
from surveys.services import _link_key, active_link, forget_links

pytestmark = pytest.mark.django_db


def test_requests_in_one_process_share_the_link_it_built(seller_link, django_assert_num_queries):
    """Only the link's stamp is read from the shared cache (a query when it is the database)."""
    first = active_link(seller_link.token)
    stamp_read = isinstance(caches["shared"], BaseDatabaseCache)
    with django_assert_num_queries(1 if stamp_read else 0):
        again = active_link(seller_link.token)
    assert again is first
    assert [q.code for q in again.questions] == [q.code for q in first.questions]


def test_a_forgotten_stamp_builds_the_link_anew_from_the_database(seller_link):
    first = active_link(seller_link.token)
    # A change without the signals that forget (an update()): seen within the minute.
    type(seller_link).objects.filter(pk=seller_link.pk).update(rotated_at=timezone.now())
    assert active_link(seller_link.token) is first
    forget_links([seller_link.token])
    fresh = active_link(seller_link.token)
    assert fresh is not first and fresh.rotated_at is not None


def test_a_stamp_another_process_wrote_is_not_taken_for_this_ones(seller_link):
    """After another process rebuilt the link (a change forgot the stamp there and it wrote a
    new one in the shared cache), this process must not go on with its own older copy."""
    first = active_link(seller_link.token)
    type(seller_link).objects.filter(pk=seller_link.pk).update(rotated_at=timezone.now())
    cache.set(_link_key(seller_link.token), "stamp-of-another-process", 60)
    fresh = active_link(seller_link.token)
    assert fresh is not first and fresh.rotated_at is not None
    assert cache.get(_link_key(seller_link.token)) == "stamp-of-another-process"
    assert active_link(seller_link.token) is fresh


def test_an_emptied_cache_builds_the_link_anew(seller_link):
    first = active_link(seller_link.token)
    cache.clear()
    assert active_link(seller_link.token) is not first


def test_an_unknown_token_is_not_cached(db):
    assert active_link("no-such-token") is None
    assert cache.get(_link_key("no-such-token")) is None


def test_a_change_that_commits_while_the_link_is_read_is_not_hidden_for_a_minute(
    seller_link, monkeypatch
):
    """The request read the old row; the change's forget comes before the request is done.
    What the request read serves that request only."""
    import surveys.services as services

    questions_of = services._questions_of

    def change_meanwhile(organisation):
        type(seller_link).objects.filter(pk=seller_link.pk).update(rotated_at=timezone.now())
        forget_links([seller_link.token])  # what the change's on_commit does
        return questions_of(organisation)

    monkeypatch.setattr(services, "_questions_of", change_meanwhile)
    old = active_link(seller_link.token)
    assert old.rotated_at is None
    monkeypatch.undo()
    assert active_link(seller_link.token).rotated_at is not None
