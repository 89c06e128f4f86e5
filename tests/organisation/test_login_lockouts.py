"""Failed logins behind a proxy: the lockout follows the client's own address (X-Forwarded-For
as the trusted proxy wrote it), a username is paused only at the address that failed with it,
and one address spraying passwords across usernames is paused as a whole."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils.module_loading import import_string

from asiakaskunto.addresses import client_address
from surveys import throttle
from tests.factories import PASSWORD, Role, make_user

PROXY = "10.0.0.1"
ATTACKER = "203.0.113.66"
REAL_USER = "198.51.100.7"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.FORWARDED_ALLOW_IPS = [PROXY]  # the deploy names its proxy (default: 127.0.0.1)
    return settings


def login(client, username, password, *, address, forged=""):
    forwarded = f"{forged}, {address}" if forged else address
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_axes_and_the_survey_limiter_take_the_address_from_one_function(settings):
    assert import_string(settings.AXES_CLIENT_IP_CALLABLE) is client_address
    assert throttle.client_address is client_address


def test_failures_from_one_address_do_not_lock_the_user_out_elsewhere(org, behind_proxy):
    from django.test import Client

    attacker, user = Client(), Client()
    for _ in range(behind_proxy.AXES_FAILURE_LIMIT + 3):
        login(attacker, "manager_a", "wrong", address=ATTACKER)
    # The attacker's address is paused for this username, even with the right password...
    assert login(attacker, "manager_a", PASSWORD, address=ATTACKER).status_code == 429
    assert not signed_in(attacker)
    # ...while the real user, behind the same proxy, gets in.
    response = login(user, "manager_a", PASSWORD, address=REAL_USER)
    assert response.status_code == 302 and signed_in(user)


def test_a_forged_x_forwarded_for_entry_does_not_move_the_lockout(org, behind_proxy):
    from django.test import Client

    attacker = Client()
    for n in range(behind_proxy.AXES_FAILURE_LIMIT):
        login(attacker, "manager_a", "wrong", address=ATTACKER, forged=f"192.0.2.{n}")
    response = login(attacker, "manager_a", PASSWORD, address=ATTACKER, forged=REAL_USER)
    assert response.status_code == 429


def test_password_spraying_from_one_address_is_paused(org, behind_proxy, client):
    """4 tries for each of 6 usernames (24 failures, none reaching 5 for one username) pause
    the address: the tries after its limit are refused, even with a right password."""
    users = [make_user(org.organisation, Role.SALESPERSON, username=f"spray{n}") for n in range(6)]
    refused = 0
    for user in users:
        for _ in range(4):
            refused += login(client, user.username, "wrong", address=ATTACKER).status_code == 429
    assert refused >= 24 - behind_proxy.AXES_ADDRESS_FAILURE_LIMIT
    assert login(client, "manager_a", PASSWORD, address=ATTACKER).status_code == 429
    assert not signed_in(client)

    from django.test import Client

    elsewhere = Client()
    assert login(elsewhere, "spray0", PASSWORD, address=REAL_USER).status_code == 302


def test_a_few_mistakes_at_an_office_address_lock_nobody_out(org, behind_proxy):
    from django.test import Client

    office = "198.51.100.50"
    for username in ("manager_a", "manager_b", "leader"):
        login(Client(), username, "wrong", address=office)
        login(Client(), username, "wrong", address=office)
    for username in ("manager_a", "manager_b", "leader"):
        client = Client()
        assert login(client, username, PASSWORD, address=office).status_code == 302
        assert signed_in(client)


@pytest.mark.parametrize("forwarded", ["not-an-address", "1.2.3.4\x00", "999.1.1.1", "<script>"])
def test_an_entry_that_is_not_an_address_falls_back_to_the_peer(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == PROXY


def test_a_junk_forwarded_address_does_not_break_the_login(org, behind_proxy, client):
    response = client.post(
        reverse("login"),
        {"username": "manager_a", "password": "wrong"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="junk",
    )
    assert response.status_code == 200


def test_x_forwarded_for_counts_only_from_the_proxys_address(settings):
    """With the app port reachable directly, a client's own X-Forwarded-For is not believed."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.0/24", "::1"]
    via_proxy = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    direct = RequestFactory().get("/", REMOTE_ADDR=REAL_USER, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert client_address(via_proxy) == ATTACKER
    assert client_address(direct) == REAL_USER
    settings.FORWARDED_ALLOW_IPS = ["*"]
    assert client_address(direct) == ATTACKER
