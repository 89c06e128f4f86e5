"""A read replica: DATABASE_REPLICA_URL adds the alias "replica" (a mirror of default in tests);
the router keeps writes and ordinary reads on the primary and migrates only the primary.
The reads themselves: test_replica_reads.py."""

import copy
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, router

from asiakaskunto.db import REPLICA, reporting_database
from asiakaskunto.db.router import PrimaryReplicaRouter
from asiakaskunto.models import Answer, Organisation, Submission
from asiakaskunto.settings import databases_from


@contextmanager
def replica_alias():
    """The alias "replica" for the duration, reading the primary's test database."""
    settings_dict = copy.deepcopy(connections.settings[DEFAULT_DB_ALIAS])
    settings_dict["TEST"] = {**settings_dict.get("TEST", {}), "MIRROR": DEFAULT_DB_ALIAS}
    connections.settings[REPLICA] = settings_dict
    try:
        yield connections[REPLICA]
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


def test_without_a_replica_url_there_is_one_alias():
    assert list(databases_from({"DATABASE_URL": "postgres://u@db/app"})) == ["default"]
    assert list(databases_from({})) == ["default"]


def test_a_replica_url_adds_the_replica_alias_mirroring_default_in_tests():
    databases = databases_from(
        {
            "DATABASE_URL": "postgres://u@primary.internal/app",
            "DATABASE_REPLICA_URL": "postgres://reader@replica.internal:5433/app",
        }
    )
    assert list(databases) == ["default", "replica"]
    assert databases["default"]["HOST"] == "primary.internal"
    assert (databases["replica"]["HOST"], databases["replica"]["PORT"]) == (
        "replica.internal",
        "5433",
    )
    assert databases["replica"]["USER"] == "reader"
    assert databases["replica"]["TEST"] == {"MIRROR": "default"}
    assert databases["replica"]["OPTIONS"]["connect_timeout"] == "3"  # down: not waited for


def test_the_running_settings_have_one_alias_and_the_router(settings):
    assert REPLICA not in connections.settings  # no DATABASE_REPLICA_URL in the test run
    assert settings.DATABASE_ROUTERS == ["asiakaskunto.db.router.PrimaryReplicaRouter"]
    assert reporting_database() == DEFAULT_DB_ALIAS


def test_the_router_keeps_writes_and_ordinary_reads_on_the_primary():
    with replica_alias():
        for model in (Answer, Submission, Organisation):
            assert router.db_for_write(model) == DEFAULT_DB_ALIAS
            assert router.db_for_read(model) == DEFAULT_DB_ALIAS
        assert router.allow_migrate(DEFAULT_DB_ALIAS, "asiakaskunto")
        assert not router.allow_migrate(REPLICA, "asiakaskunto")
        assert not router.allow_migrate_model(REPLICA, Answer)
        assert PrimaryReplicaRouter().allow_relation(Answer(), Submission())
