"""Which database a read goes to.

With ``DATABASE_REPLICA_URL`` set, the settings add a second alias, ``replica``: a PostgreSQL
read replica (streaming replication). Writes and ordinary reads stay on the primary
(``asiakaskunto.db.router``); only the reporting reads, which read many rows and may be a few
seconds behind, ask ``reporting_database()`` where to go. Without the variable there is one
alias and every read goes to it.

A reporting read sees everything committed before it began, as on the primary: before it
reads the replica, ``reporting_database()`` takes the primary's current WAL position and waits
(up to ``REPLICA_WAIT_SECONDS``) until the replica has replayed that far. So a result computed
at a moment (``computed_at`` of ``reports.results_cache``) holds every answer committed before
it, and a recompute queued by a new answer finds that answer, whatever the replication lag; a
replica that does not catch up in time is skipped for that read (the primary answers it).

A replica that is unreachable, or further behind than ``DATABASE_REPLICA_MAX_LAG_SECONDS``
(default 30), is left aside altogether and the reports read the primary; each process looks
again every ``REPLICA_CHECK_SECONDS``.
"""

import logging
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

REPLICA = "replica"
REPLICA_CHECK_SECONDS = 5.0
REPLICA_WAIT_SECONDS = 1.0
REPLICA_POLL_SECONDS = 0.02

logger = logging.getLogger(__name__)

_PRIMARY_ONLY: ContextVar[bool] = ContextVar("primary_only", default=False)
# (monotonic time of the last look, whether the replica was usable then), per process.
_last_look: tuple[float, bool] | None = None


def reporting_database() -> str:
    """The alias for one reporting read (the answers the engine grades), to be called just
    before it: the replica when there is one, it is usable (reachable, not too far behind) and
    it has replayed everything committed on the primary until now; else the primary. Stays on
    the primary inside a transaction on the primary (what it wrote there, uncommitted, is on no
    replica) and inside ``on_primary()``."""
    if REPLICA not in connections.settings:
        return DEFAULT_DB_ALIAS
    if _PRIMARY_ONLY.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    if not _replica_usable():
        return DEFAULT_DB_ALIAS
    try:
        caught_up = replica_caught_up(wait=REPLICA_WAIT_SECONDS)
    except DatabaseError:
        logger.exception("Read replica: its position could not be read; reading the primary.")
        connections[REPLICA].close()
        return DEFAULT_DB_ALIAS
    return REPLICA if caught_up else DEFAULT_DB_ALIAS


def replica_caught_up(*, wait: float) -> bool:
    """Whether the replica has replayed everything the primary had written when this was
    called, waiting up to ``wait`` seconds for it. True for no replica at all (a test mirror
    of the primary, SQLite)."""
    replica = connections[REPLICA]
    if replica.vendor != "postgresql":
        return True
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        (position,) = cursor.fetchone()
    deadline = time.monotonic() + wait
    with replica.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= %s::pg_lsn",
                [position],
            )
            if cursor.fetchone()[0]:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(REPLICA_POLL_SECONDS)


@contextmanager
def on_primary():
    """Reads inside go to the primary: for a read that must see this request's own write just
    committed (a replica may not have replayed it yet)."""
    token = _PRIMARY_ONLY.set(True)
    try:
        yield
    finally:
        _PRIMARY_ONLY.reset(token)


def replica_lag_seconds() -> float:
    """How far the replica is behind the primary, in seconds: 0 when it has replayed all it
    received (or is no replica at all: a test mirror, SQLite), else the age of the last
    transaction it replayed. Raises DatabaseError when it cannot be reached."""
    connection = connections[REPLICA]
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
            " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
            " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)"
            " END"
        )
        (lag,) = cursor.fetchone()
    return float(lag)


def _replica_usable() -> bool:
    global _last_look
    now = time.monotonic()
    if _last_look is not None and now - _last_look[0] < REPLICA_CHECK_SECONDS:
        return _last_look[1]
    was_usable = _last_look is None or _last_look[1]
    limit = settings.DATABASE_REPLICA_MAX_LAG_SECONDS
    try:
        lag = replica_lag_seconds()
    except DatabaseError as error:
        usable = False
        connections[REPLICA].close()  # the next look connects afresh
        if was_usable:
            logger.error("Read replica unreachable (%s): reports read the primary.", error)
    else:
        usable = lag <= limit
        if not usable and was_usable:
            logger.error(
                "Read replica %.0f s behind (over %s s): reports read the primary.", lag, limit
            )
    if usable and not was_usable:
        logger.warning("Read replica usable again: reports read it.")
    _last_look = (now, usable)
    return usable


def forget_replica_state() -> None:
    """Look at the replica afresh on the next reporting read (tests)."""
    global _last_look
    _last_look = None
