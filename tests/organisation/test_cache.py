"""The Redis cache keeps one client per connection pool and still behaves as Django's."""

import socket
import uuid

import pytest

from asiakaskunto.cache import RedisCache


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.2).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(not _redis_up(), reason="needs Redis on 127.0.0.1:6379")


@pytest.fixture
def redis_cache():
    cache = RedisCache("redis://127.0.0.1:6379/9", {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    cache.clear()


def test_every_operation_uses_one_client(redis_cache):
    assert redis_cache._cache.get_client("a") is redis_cache._cache.get_client("b", write=True)


def test_it_stores_counts_and_forgets_like_djangos(redis_cache):
    assert redis_cache.add("n", 1, timeout=60) is True
    assert redis_cache.add("n", 5, timeout=60) is False
    assert redis_cache.incr("n") == 2
    redis_cache.set("link", {"token": "abc", "members": [1, 2]}, timeout=60)
    assert redis_cache.get("link") == {"token": "abc", "members": [1, 2]}
    redis_cache.delete_many(["link", "n"])
    assert redis_cache.get("link") is None
    with pytest.raises(ValueError):
        redis_cache.incr("n")
