"""Without Redis the shared cache is a table (``asiakaskunto.cache.DatabaseCache``): it behaves
as Django's caches do, counts atomically across connections, and keeps what a busy survey
writes."""

import threading
import time

import pytest
from django.core.cache import caches
from django.db import connection

from asiakaskunto.cache import DatabaseCache


@pytest.fixture
def shared(db):
    cache = caches["shared"]
    if not isinstance(cache, DatabaseCache):
        pytest.skip("the project runs on Redis here")
    return cache


def test_it_stores_adds_counts_and_forgets(shared):
    assert shared.add("n", 1, timeout=60) is True
    assert shared.add("n", 5, timeout=60) is False
    assert shared.incr("n") == 2
    assert shared.incr("n", 3) == 5
    shared.set("link", {"token": "abc", "members": [1, 2]}, timeout=60)
    shared.set("link", {"token": "def"}, timeout=60)
    assert shared.get("link") == {"token": "def"}
    shared.set("forever", "x", timeout=None)
    assert shared.get("forever") == "x"
    shared.delete_many(["link", "n"])
    assert shared.get("link") is None
    with pytest.raises(ValueError):
        shared.incr("n")


def test_an_expired_entry_is_gone_and_can_be_added_again(shared):
    shared.set("window", 7, timeout=0.05)
    assert shared.add("window", 1, timeout=0.05) is False
    time.sleep(0.1)
    assert shared.get("window") is None
    with pytest.raises(ValueError):
        shared.incr("window")
    assert shared.add("window", 1, timeout=60) is True
    assert shared.get("window") == 1


def test_expired_entries_are_culled_as_the_table_grows(shared):
    for n in range(shared.CULL_EVERY):
        shared.add(f"old:{n}", 1, timeout=0.01)
    time.sleep(0.05)
    for n in range(shared.CULL_EVERY):
        shared.add(f"new:{n}", 1, timeout=60)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM asiakaskunto_cache WHERE cache_key LIKE %s", ["%old:%"]
        )
        assert cursor.fetchone()[0] == 0
    assert shared.get("new:0") == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_increments_lose_no_count():
    shared = caches["shared"]
    if not isinstance(shared, DatabaseCache):
        pytest.skip("the project runs on Redis here")
    if connection.vendor == "sqlite":
        pytest.skip("threads cannot share the in-memory SQLite test database")
    shared.add("rate:test", 0, timeout=60)
    errors = []

    def count():
        try:
            for _ in range(25):
                shared.incr("rate:test")
        except Exception as error:  # pragma: no cover (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=count) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert shared.get("rate:test") == 150
