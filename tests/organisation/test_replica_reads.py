"""With two aliases: writes and ordinary reads go to the primary, the engine's reads of the
answers to the replica, and a read inside a transaction on the primary (or asked for with
on_primary) stays there.

"replica" is added for this module as a mirror of the test database (the settings' TEST
MIRROR), reached through a connection of its own: it sees what is committed, hence
transactional tests."""

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import asiakaskunto.db
from asiakaskunto.db import (
    REPLICA,
    forget_replica_state,
    on_primary,
    replica_caught_up,
    replica_lag_seconds,
    reporting_database,
)
from asiakaskunto.models import Submission
from reports.compute import compute
from reports.services import scoring_settings_for
from tests.factories import Method, submit
from tests.organisation.test_replica import replica_alias

two_aliases = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])


@pytest.fixture(scope="module", autouse=True)
def _replica():
    """Before the test's database setup, which checks the aliases a test may use."""
    with replica_alias() as replica:
        yield replica


@pytest.fixture
def read_from(monkeypatch):
    """The databases the engine's reader read the answers from, in order. (On PostgreSQL the
    rows come by COPY on the raw cursor, which no query log sees: the reader's connection
    tells.)"""
    import reports.compute

    databases = []
    reader = reports.compute._Reader

    def spy(connection, *args, **kwargs):
        databases.append(connection.alias)
        return reader(connection, *args, **kwargs)

    monkeypatch.setattr(reports.compute, "_Reader", spy)
    return databases


@pytest.fixture
def replica(_replica):
    forget_replica_state()
    yield connections[REPLICA]
    forget_replica_state()


@two_aliases
def test_a_write_goes_to_the_primary_and_an_ordinary_read_too(org, replica):
    with CaptureQueriesContext(replica) as on_replica:
        submission = submit(org.seller_a, Method.OBSERVATION, {"OBS1": 4})
        assert Submission.objects.get(pk=submission.pk).answered_at == submission.answered_at
        submission.save(update_fields=["answered_at"])
    assert submission._state.db == DEFAULT_DB_ALIAS
    assert len(on_replica) == 0


@two_aliases
def test_the_engine_reads_the_answers_through_the_replica_with_the_same_results(
    org, replica, read_from
):
    organisation = org.organisation
    for value in (2, 4, 5):
        submit(org.seller_a, Method.OBSERVATION, {"OBS1": value, "OBS2": 5})
        submit(org.seller_b, Method.OBSERVATION, {"OBS1": 3, "OBS2": 1})
    scoring = scoring_settings_for(organisation)
    now = timezone.now()
    with on_primary():
        on_default = compute(organisation, scoring=scoring, as_of=[now])
    assert reporting_database() == REPLICA
    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary_,
    ):
        through_replica = compute(organisation, scoring=scoring, as_of=[now])
    assert through_replica == on_default
    assert len(through_replica.grades[0].people) == 2
    assert read_from == [DEFAULT_DB_ALIAS, REPLICA]
    if replica.vendor != "postgresql":
        assert any("asiakaskunto_answer" in q["sql"] for q in on_replica.captured_queries)
    assert not any("asiakaskunto_answer" in q["sql"] for q in on_primary_.captured_queries)


@two_aliases
def test_a_read_that_must_see_its_own_write_stays_on_the_primary(org, replica, read_from):
    """Inside a transaction (the replica cannot see its uncommitted rows) and in on_primary()
    (a write just committed that the replica may not have replayed yet)."""
    scoring = scoring_settings_for(org.organisation)
    with CaptureQueriesContext(replica) as on_replica:
        with transaction.atomic():
            submit(org.seller_a, Method.OBSERVATION, {"OBS1": 5})
            assert reporting_database() == DEFAULT_DB_ALIAS
            inside = compute(org.organisation, scoring=scoring, as_of=[timezone.now()])
        with on_primary():
            assert reporting_database() == DEFAULT_DB_ALIAS
            compute(org.organisation, scoring=scoring, as_of=[timezone.now()])
    assert not any("asiakaskunto_answer" in q["sql"] for q in on_replica.captured_queries)
    assert read_from == [DEFAULT_DB_ALIAS, DEFAULT_DB_ALIAS]
    assert list(inside.grades[0].people) == [org.seller_a.pk]  # its own uncommitted answer
    assert reporting_database() == REPLICA


@two_aliases
def test_the_mirror_is_no_replica_and_so_never_behind(replica):
    assert replica_lag_seconds() == 0.0


@two_aliases
def test_a_replica_too_far_behind_is_left_aside_until_it_catches_up(replica, monkeypatch, caplog):
    clock = [1000.0]
    lag = [120.0]
    monkeypatch.setattr(asiakaskunto.db.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(asiakaskunto.db, "replica_lag_seconds", lambda: lag[0])
    assert reporting_database() == DEFAULT_DB_ALIAS  # 120 s > 30 s
    assert "120 s behind" in caplog.text
    lag[0] = 0.4
    assert reporting_database() == DEFAULT_DB_ALIAS  # not looked at again within 5 s
    clock[0] += 5
    assert reporting_database() == REPLICA
    assert "usable again" in caplog.text


@two_aliases
def test_an_unreachable_replica_sends_the_reports_to_the_primary(
    replica, monkeypatch, org, read_from
):
    def unreachable():
        raise OperationalError("connection refused")

    monkeypatch.setattr(asiakaskunto.db, "replica_lag_seconds", unreachable)
    submit(org.seller_a, Method.OBSERVATION, {"OBS1": 5})
    assert reporting_database() == DEFAULT_DB_ALIAS
    with CaptureQueriesContext(replica) as on_replica:
        computed = compute(
            org.organisation,
            scoring=scoring_settings_for(org.organisation),
            as_of=[timezone.now()],
        )
    assert list(computed.grades[0].people) == [org.seller_a.pk]
    assert read_from == [DEFAULT_DB_ALIAS]
    assert len(on_replica) == 0


@two_aliases
@pytest.mark.skipif(connections[DEFAULT_DB_ALIAS].vendor != "postgresql", reason="a server")
def test_a_replica_that_refuses_connections_is_left_aside(replica, monkeypatch, caplog):
    replica.close()
    monkeypatch.setitem(replica.settings_dict, "HOST", "127.0.0.1")
    monkeypatch.setitem(replica.settings_dict, "PORT", "1")  # nothing listens there
    assert reporting_database() == DEFAULT_DB_ALIAS
    assert "Read replica unreachable" in caplog.text
    monkeypatch.undo()
    replica.close()


@two_aliases
def test_the_mirror_has_replayed_everything_at_once(replica, org):
    submit(org.seller_a, Method.OBSERVATION, {"OBS1": 5})
    assert replica_caught_up(wait=0)


@two_aliases
def test_a_replica_that_has_not_replayed_the_latest_writes_leaves_the_read_to_the_primary(
    replica, monkeypatch, org, read_from
):
    """A recompute queued by a new answer must find it, however far behind the replica is:
    the replica has not caught up with the primary's position within the wait, so the
    primary answers this read (and the replica the next one that finds it caught up)."""
    waits = []

    def behind(*, wait):
        waits.append(wait)
        return False

    monkeypatch.setattr(asiakaskunto.db, "replica_caught_up", behind)
    submit(org.seller_a, Method.OBSERVATION, {"OBS1": 5})
    scoring = scoring_settings_for(org.organisation)
    computed = compute(org.organisation, scoring=scoring, as_of=[timezone.now()])
    assert list(computed.grades[0].people) == [org.seller_a.pk]
    assert read_from == [DEFAULT_DB_ALIAS]
    assert waits == [asiakaskunto.db.REPLICA_WAIT_SECONDS]
    monkeypatch.setattr(asiakaskunto.db, "replica_caught_up", lambda *, wait: True)
    compute(org.organisation, scoring=scoring, as_of=[timezone.now()])
    assert read_from == [DEFAULT_DB_ALIAS, REPLICA]
