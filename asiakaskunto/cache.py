"""The caches of the app processes. ``shared_cache`` (the "shared" alias) holds what every
process must see alike (rate counters, repeat guards, link stamps): Redis when ``REDIS_URL`` is
set (``RedisCache``), else a table in the database (``DatabaseCache``, below). Django's
``cache`` ("default") holds what may be stale harmlessly: Redis too, else each process's memory.

``RedisCache`` is Django's, with one client object per connection pool, and degrades instead
of failing while Redis cannot be reached.

Django's backend builds a new ``redis.Redis`` client for every cache operation, which cost a
third of a quick ``get`` here (0.14 of 0.5 ms) and a survey answer makes three. A client is
thread-safe and keeps no connection of its own (its pool does, and renews itself after a fork),
so one per pool serves every operation.

Nothing the app caches is the only copy of anything: the database is. So while Redis is down
(refused, timed out), every operation answers as an empty cache would, and the app carries on
from the database: a read misses, a write is dropped, ``add`` succeeds (a rate limit's window
starts afresh: the limits fail open, a repeat guard lets the answer through to the database's
own guard, a cached link or grade is built anew for each request). One log line says so, and
for ``RETRY_SECONDS`` the process does not even try, so that a Redis that hangs costs one
timeout per process per interval, not one per operation.
"""

import base64
import logging
import pickle
import threading
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends import db, redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.db import connections, router
from django.utils.connection import ConnectionProxy
from django.utils.timezone import now as tz_now
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# The cache that every app process sees alike (settings.CACHES["shared"]).
shared_cache = ConnectionProxy(caches, "shared")

# Not only a lost connection: a replica promoted mid-failover answers READONLY, a full server
# OOM, a failed snapshot MISCONF (each a ResponseError). The cache is then as good as down.
UNREACHABLE = (RedisError,)
RETRY_SECONDS = 5.0


class _ClientPerPool(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # pools are kept for the process's life
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


def _missing_counter(key, delta=1, version=None):
    raise ValueError(f"Key {key!r} not found.")  # as for a counter that has expired


# What each operation answers while Redis cannot be reached: what an empty cache answers.
_AS_IF_EMPTY = {
    "get": lambda key, default=None, version=None: default,
    "get_many": lambda keys, version=None: {},
    "has_key": lambda key, version=None: False,
    "add": lambda *args, **kwargs: True,
    "set": lambda *args, **kwargs: None,
    "set_many": lambda *args, **kwargs: [],
    "touch": lambda *args, **kwargs: False,
    "incr": _missing_counter,
    "delete": lambda *args, **kwargs: False,
    "delete_many": lambda *args, **kwargs: None,
    "clear": lambda *args, **kwargs: None,
}


def _degrading(name):
    operation = getattr(redis.RedisCache, name)
    as_if_empty = _AS_IF_EMPTY[name]

    def degrading(self, *args, **kwargs):
        if self._down_until and time.monotonic() < self._down_until:
            return as_if_empty(*args, **kwargs)
        try:
            result = operation(self, *args, **kwargs)
        except UNREACHABLE as error:
            self._went_down(name, error)
            return as_if_empty(*args, **kwargs)
        if self._down_until:
            self._came_back()
        return result

    degrading.__name__ = name
    degrading.__doc__ = operation.__doc__
    return degrading


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ClientPerPool
        self._down_until = 0.0
        self._lock = threading.Lock()

    def _went_down(self, operation: str, error: Exception) -> None:
        with self._lock:
            self._down_until = time.monotonic() + RETRY_SECONDS
        logger.error(
            "Cache unreachable (%s: %s): carrying on without it for %.0f s; rate limits are "
            "not enforced and pages are computed from the database meanwhile.",
            operation,
            error,
            RETRY_SECONDS,
        )

    def _came_back(self) -> None:
        with self._lock:
            was_down, self._down_until = self._down_until, 0.0
        if was_down:
            logger.warning("Cache reachable again.")

    get = _degrading("get")
    get_many = _degrading("get_many")
    has_key = _degrading("has_key")
    add = _degrading("add")
    set = _degrading("set")
    set_many = _degrading("set_many")
    touch = _degrading("touch")
    incr = _degrading("incr")
    delete = _degrading("delete")
    delete_many = _degrading("delete_many")
    clear = _degrading("clear")


class DatabaseCache(db.DatabaseCache):
    """Django's database cache, shared by every app process without Redis, with writes of one
    statement each and an increment that is atomic across processes.

    Without Redis each process's memory would be a cache of its own, and the rate limits and the
    stamps of cached links (``surveys.services.active_link``) would differ per process. Django's
    database cache is shared, but counts the whole table on every write and increments by a
    read and a write that two processes can interleave. Here ``set`` and ``add`` are one
    ``INSERT … ON CONFLICT`` each (PostgreSQL and SQLite), ``incr`` writes only over the value
    it read (and reads again when another process wrote first), and expired entries are culled
    every ``CULL_EVERY`` writes of a process.
    """

    CULL_EVERY = 200
    SET_MANY_ROWS = 500

    def __init__(self, table, params):
        super().__init__(table, params)
        self._writes = 0

    def _connection(self):
        return connections[router.db_for_write(self.cache_model_class)]

    # Times to the microsecond (Django's own rounds to the second): a short window is short.
    @staticmethod
    def _now(connection):
        return connection.ops.adapt_datetimefield_value(tz_now())

    def _expires(self, connection, timeout):
        timeout = self.get_backend_timeout(timeout)
        if timeout is None:
            expires = datetime.max
        else:
            expires = datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        return connection.ops.adapt_datetimefield_value(expires)

    def _encode(self, value) -> str:
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")

    def _upsert(self, key, value, timeout, *, only_over_expired: bool) -> bool:
        connection = self._connection()
        table = connection.ops.quote_name(self._table)
        sql = (
            f"INSERT INTO {table} (cache_key, value, expires) VALUES (%s, %s, %s) "
            "ON CONFLICT (cache_key) DO UPDATE SET value = excluded.value, "
            "expires = excluded.expires"
        )
        params = [key, self._encode(value), self._expires(connection, timeout)]
        if only_over_expired:
            sql += f" WHERE {table}.expires < %s"
            params.append(self._now(connection))
        with connection.cursor() as cursor:
            self._cull_now_and_then(connection, cursor)
            cursor.execute(sql, params)
            return cursor.rowcount > 0

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        self._upsert(key, value, timeout, only_over_expired=False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._upsert(key, value, timeout, only_over_expired=True)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        """Every entry in one statement per SET_MANY_ROWS (a stored result's pieces)."""
        connection = self._connection()
        table = connection.ops.quote_name(self._table)
        expires = self._expires(connection, timeout)
        rows = [
            (self.make_and_validate_key(key, version=version), self._encode(value), expires)
            for key, value in data.items()
        ]
        with connection.cursor() as cursor:
            for start in range(0, len(rows), self.SET_MANY_ROWS):
                chunk = rows[start : start + self.SET_MANY_ROWS]
                self._cull_now_and_then(connection, cursor)
                cursor.execute(
                    f"INSERT INTO {table} (cache_key, value, expires) VALUES "
                    + ", ".join(["(%s, %s, %s)"] * len(chunk))
                    + " ON CONFLICT (cache_key) DO UPDATE SET value = excluded.value, "
                    "expires = excluded.expires",
                    [param for row in chunk for param in row],
                )
        return []

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        connection = self._connection()
        table = connection.ops.quote_name(self._table)
        with connection.cursor() as cursor:
            while True:
                cursor.execute(
                    f"SELECT value FROM {table} WHERE cache_key = %s AND expires >= %s",
                    [key, self._now(connection)],
                )
                row = cursor.fetchone()
                if row is None:
                    raise ValueError(f"Key {key!r} not found.")
                stored = connection.ops.process_clob(row[0])
                value = pickle.loads(base64.b64decode(stored.encode(), validate=True)) + delta
                cursor.execute(
                    f"UPDATE {table} SET value = %s WHERE cache_key = %s AND value = %s",
                    [self._encode(value), key, stored],
                )
                if cursor.rowcount:
                    return value
                # Another process counted (or the entry expired) in between: read again.

    def _cull_now_and_then(self, connection, cursor) -> None:
        self._writes += 1
        if self._writes % self.CULL_EVERY:
            return
        table = connection.ops.quote_name(self._table)
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        count = cursor.fetchone()[0]
        if count > self._max_entries:
            self._cull(connection.alias, cursor, tz_now(), count)
        else:
            cursor.execute(f"DELETE FROM {table} WHERE expires < %s", [self._now(connection)])
