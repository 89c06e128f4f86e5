"""Which database a read goes to.

With ``DATABASE_REPLICA_URL`` set, the settings add a second alias, ``replica``: a PostgreSQL
read replica (streaming replication). Writes and ordinary reads stay on the primary
(``asiakaskunto.db.router``); only the reporting reads, which read many rows and may be a few
seconds behind, ask ``reporting_database()`` where to go. Without the variable there is one
alias and every read goes to it.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_PRIMARY_ONLY: ContextVar[bool] = ContextVar("primary_only", default=False)


def reporting_database() -> str:
    """The alias the reporting reads (the answers the engine grades) use: the replica when there
    is one, else the primary. Stays on the primary inside a transaction on the primary (what it
    wrote there, uncommitted, is not on any replica) and inside ``on_primary()``."""
    if REPLICA not in connections.settings:
        return DEFAULT_DB_ALIAS
    if _PRIMARY_ONLY.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA


@contextmanager
def on_primary():
    """Reads inside go to the primary: for a read that must see this request's own write just
    committed (a replica may not have replayed it yet)."""
    token = _PRIMARY_ONLY.set(True)
    try:
        yield
    finally:
        _PRIMARY_ONLY.reset(token)
