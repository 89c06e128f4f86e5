"""With two aliases: writes and ordinary reads go to the primary, the engine's reads of the
answers to the replica, and a read inside a transaction on the primary (or asked for with
on_primary) stays there.

"replica" is added for this module as a mirror of the test database (the settings' TEST
MIRROR), reached through a connection of its own: it sees what is committed, hence
transactional tests."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from asiakaskunto.db import REPLICA, on_primary, reporting_database
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
def replica(_replica):
    return connections[REPLICA]


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
    org, replica, monkeypatch
):
    """(On PostgreSQL the rows come by COPY on the raw cursor, which no query log sees: there
    the reader's queryset tells which database it read.)"""
    import reports.services

    read_from = []
    reader = reports.services.load_answers

    def spy(organisation, *, answers=None, **kwargs):
        read_from.append(answers.db)
        return reader(organisation, answers=answers, **kwargs)

    organisation = org.organisation
    for value in (2, 4, 5):
        submit(org.seller_a, Method.OBSERVATION, {"OBS1": value, "OBS2": 5})
        submit(org.seller_b, Method.OBSERVATION, {"OBS1": 3, "OBS2": 1})
    scoring = scoring_settings_for(organisation)
    now = timezone.now()
    with on_primary():
        on_default = compute(organisation, scoring=scoring, as_of=[now])
    assert reporting_database() == REPLICA
    monkeypatch.setattr(reports.services, "load_answers", spy)
    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary_,
    ):
        through_replica = compute(organisation, scoring=scoring, as_of=[now])
    assert through_replica == on_default
    assert len(through_replica.grades[0].people) == 2
    assert read_from == [REPLICA]
    if replica.vendor != "postgresql":
        assert any("asiakaskunto_answer" in q["sql"] for q in on_replica.captured_queries)
    assert not any("asiakaskunto_answer" in q["sql"] for q in on_primary_.captured_queries)


@two_aliases
def test_a_read_that_must_see_its_own_write_stays_on_the_primary(org, replica):
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
        assert reporting_database() == REPLICA
        assert len(on_replica) == 0
    assert list(inside.grades[0].people) == [org.seller_a.pk]
