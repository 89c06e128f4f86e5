"""Two-factor sign-in for leadership and admins: optional, enforceable per organisation; the code
comes after the password and before anything else; managers and salespeople are unaffected."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from tests.factories import PASSWORD

LOGIN = reverse("login")
HOME = reverse("home")
OVERVIEW = reverse("accounts:two_factor")
SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:two_factor_verify")
REMOVE = reverse("accounts:two_factor_remove")


def code_of(device, *, later=0) -> str:
    """The code the user's app shows now (``later`` steps on: a fresh code)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0 - later * device.step, device.digits, device.drift):06d}"


def wrong_code(device) -> str:
    right = int(code_of(device))
    return f"{(right + 1) % 1_000_000:06d}"


def log_in(client, user):
    return client.post(LOGIN, {"username": user.username, "password": PASSWORD})


@pytest.fixture
def device(org):
    return TOTPDevice.objects.create(user=org.leader, name="TOTP", confirmed=True)


@pytest.fixture
def required(org):
    org.organisation.require_two_factor_for_leadership = True
    org.organisation.save()
    return org.organisation


def test_it_is_off_by_default_and_a_leader_goes_straight_in(org, client):
    response = log_in(client, org.leader)
    assert response.status_code == 302 and response.url == HOME
    assert client.get(HOME).status_code == 200


def test_a_required_leader_without_a_device_is_sent_to_set_one_up(org, client, required):
    log_in(client, org.leader)
    for url in [HOME, reverse("reports:dashboard"), reverse("accounts:password_change")]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(SETUP), url
    page = client.get(SETUP).content.decode()
    assert "<svg" in page and "Organisaatiosi edellyttää" in page
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("who", ["manager_a", "seller_a_user"])
def test_other_roles_are_unaffected_by_the_requirement(org, client, required, who):
    log_in(client, getattr(org, who))
    assert client.get(HOME).status_code == 200
    assert client.get(OVERVIEW).status_code == 404
    assert client.get(SETUP).status_code == 404


def test_setting_up_takes_the_code_the_app_shows(org, client, required):
    log_in(client, org.leader)
    client.get(SETUP)
    pending = TOTPDevice.objects.get(user=org.leader, confirmed=False)
    wrong = client.post(SETUP, {"otp_token": wrong_code(pending), "next": HOME})
    assert wrong.status_code == 200
    assert "Koodi on väärä tai vanhentunut" in wrong.content.decode()
    assert client.get(HOME).status_code == 302  # still owed
    pending.throttle_reset()
    right = client.post(SETUP, {"otp_token": code_of(pending), "next": HOME})
    assert right.status_code == 302 and right.url == HOME
    assert TOTPDevice.objects.get(user=org.leader).confirmed
    assert client.get(HOME).status_code == 200


def test_a_device_owner_gives_a_code_after_the_password(org, client, device):
    log_in(client, org.leader)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 302
    assert response.url == f"{VERIFY}?next=%2Freports%2F"
    assert client.get(response.url).status_code == 200


def test_a_wrong_code_is_refused(org, client, device):
    log_in(client, org.leader)
    response = client.post(VERIFY, {"otp_token": wrong_code(device)})
    assert response.status_code == 200
    assert "Koodi on väärä tai vanhentunut" in response.content.decode()
    assert client.get(HOME).status_code == 302


@pytest.mark.parametrize("token", ["", "12345", "abcdef", "1234567"])
def test_a_malformed_code_gets_a_message(org, client, device, token):
    log_in(client, org.leader)
    response = client.post(VERIFY, {"otp_token": token})
    assert response.status_code == 200 and response.context["form"].errors["otp_token"]
    assert client.get(HOME).status_code == 302


def test_the_right_code_lets_in_and_goes_where_the_user_was_going(org, client, device):
    log_in(client, org.leader)
    response = client.post(VERIFY, {"otp_token": code_of(device), "next": "/reports/"})
    assert response.status_code == 302 and response.url == "/reports/"
    assert client.get(HOME).status_code == 200


def test_a_code_is_good_only_once(org, client, device):
    code = code_of(device)
    log_in(client, org.leader)
    client.post(VERIFY, {"otp_token": code})
    client.post(reverse("logout"))
    log_in(client, org.leader)
    response = client.post(VERIFY, {"otp_token": code})
    assert "Koodi on väärä tai vanhentunut" in response.content.decode()


def test_guessing_is_slowed_down(org, client, device):
    log_in(client, org.leader)
    client.post(VERIFY, {"otp_token": wrong_code(device)})
    response = client.post(VERIFY, {"otp_token": code_of(device)})
    assert "Liian monta väärää koodia" in response.content.decode()
    assert client.get(HOME).status_code == 302


def test_the_next_address_stays_on_this_site(org, client, device):
    log_in(client, org.leader)
    response = client.post(VERIFY, {"otp_token": code_of(device), "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == HOME


def test_a_password_alone_cannot_add_a_second_device(org, client, device):
    log_in(client, org.leader)
    response = client.get(SETUP)
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=org.leader).count() == 1


def test_the_admin_is_asked_too_on_the_admin_site(org, client):
    TOTPDevice.objects.create(user=org.admin, name="TOTP", confirmed=True)
    client.post(
        reverse("admin:login"), {"username": "admin", "password": PASSWORD, "next": "/admin/"}
    )
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith(VERIFY)


def test_removing_the_device_needs_the_current_code(org, client_for, device):
    client = client_for(org.leader)
    client.session  # noqa: B018
    session = client.session
    session[two_factor.STATE_KEY] = two_factor.DONE
    session.save()
    refused = client.post(REMOVE, {"otp_token": wrong_code(device)})
    assert refused.status_code == 200 and TOTPDevice.objects.filter(pk=device.pk).exists()
    device.throttle_reset()
    removed = client.post(REMOVE, {"otp_token": code_of(device)})
    assert removed.status_code == 302 and not TOTPDevice.objects.exists()
    assert "Kaksivaiheinen kirjautuminen on pois päältä." in client.get(OVERVIEW).content.decode()


def test_a_required_leader_who_removes_the_device_sets_up_a_new_one(org, client, device, required):
    log_in(client, org.leader)
    client.post(VERIFY, {"otp_token": code_of(device)})
    client.post(REMOVE, {"otp_token": code_of(device, later=1)})
    response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith(SETUP)


def test_an_admin_can_remove_a_lost_device_and_the_leader_gets_in_with_the_password(
    org, client, device
):
    assert admin.site.is_registered(TOTPDevice)
    admin_client = type(client)()
    admin_client.force_login(org.admin)
    delete = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    admin_client.post(delete, {"post": "yes"})
    assert not TOTPDevice.objects.exists()
    log_in(client, org.leader)
    assert client.get(HOME).status_code == 200


def test_a_device_removed_mid_session_does_not_strand_the_leader(org, client, device):
    log_in(client, org.leader)
    device.delete()
    response = client.get(VERIFY)
    assert response.status_code == 302 and response.url == HOME
    assert client.get(HOME).status_code == 200


def test_the_overview_offers_set_up_to_leadership(org, client_for):
    page = client_for(org.leader).get(OVERVIEW).content.decode()
    assert SETUP in page
    assert OVERVIEW in client_for(org.leader).get(reverse("accounts:account")).content.decode()
    assert (
        OVERVIEW not in client_for(org.manager_a).get(reverse("accounts:account")).content.decode()
    )


def test_a_session_with_nothing_owed_reads_no_device(org, client_for):
    """The state was settled at login: later requests do not look for devices or roles."""
    client = client_for(org.manager_a)
    client.get(HOME)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("accounts:password_change"))
    tables = " ".join(query["sql"] for query in queries)
    assert "otp_totp" not in tables and "asiakaskunto_organisation" not in tables
