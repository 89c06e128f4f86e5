"""The PostgreSQL backend checks a kept connection without a round trip, and still notices one
that the server has closed."""

import time

import pytest
from django.db import connection, connections
from django.db.backends.postgresql import base as django_base

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL backend"),
]


@pytest.fixture
def spare():
    """A connection of our own beside the test's (which runs inside a transaction)."""
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def test_an_idle_connection_is_usable_without_asking_the_server(spare, monkeypatch):
    def asked(self):
        raise AssertionError("the server was asked")

    monkeypatch.setattr(django_base.DatabaseWrapper, "is_usable", asked)
    assert spare.is_usable() is True


def test_a_connection_the_server_closed_is_not_usable_and_is_replaced(spare):
    with spare.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    for _ in range(50):  # the server's goodbye arrives at once; allow for a slow machine
        if not spare.is_usable():
            break
        time.sleep(0.02)
    assert spare.is_usable() is False

    spare.health_check_enabled, spare.health_check_done = True, False
    with spare.cursor() as cursor:  # the check closes it; the cursor opens a new one
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


def test_a_closed_connection_is_not_usable(spare):
    spare.connection.close()
    assert spare.is_usable() is False
