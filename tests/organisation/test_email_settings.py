"""Each user switches each kind of e-mail off on their own settings page, and every e-mail's
signed unsubscribe link switches its kind off without logging in."""

import pytest
from django.test import Client
from django.urls import reverse

from asiakaskunto.emails import unsubscribe_token, unsubscribe_url
from asiakaskunto.models import EmailKind, EmailPreference

pytestmark = pytest.mark.django_db
SETTINGS = reverse("email_settings")


def test_it_asks_to_log_in(client):
    response = client.get(SETTINGS)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("who", ["leader", "manager_a", "seller_a_user"])
def test_every_role_has_the_page(client_for, org, who, django_assert_max_num_queries):
    client = client_for(getattr(org, who))
    with django_assert_max_num_queries(8):
        response = client.get(SETTINGS)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="language"' in html
    # Alerts and digests go to managers and leadership only.
    assert ('name="follow_up_alerts"' in html) == (who != "seller_a_user")
    assert ('name="weekly_digest"' in html) == (who != "seller_a_user")


def test_a_salesperson_chooses_the_language_only(client_for, org):
    response = client_for(org.seller_a_user).post(SETTINGS, {"language": "en"})
    assert response.status_code == 302
    preference = EmailPreference.objects.get(user=org.seller_a_user)
    assert preference.language == "en" and preference.follow_up_alerts


def test_it_saves_the_users_own_choices(client_for, org):
    client = client_for(org.manager_a)
    response = client.post(SETTINGS, {"weekly_digest": "on", "language": "sv"})
    assert response.status_code == 302
    preference = EmailPreference.objects.get(user=org.manager_a)
    assert not preference.follow_up_alerts and preference.weekly_digest
    assert preference.language == "sv"
    assert not EmailPreference.objects.exclude(user=org.manager_a).exists()


def test_a_bad_language_is_refused_and_nothing_saved(client_for, org):
    client = client_for(org.manager_a)
    response = client.post(SETTINGS, {"language": "xx"}, HTTP_ACCEPT_LANGUAGE="fi")
    assert response.status_code == 400
    assert not EmailPreference.objects.exists()


def test_the_user_menu_links_to_it(client_for, org):
    html = client_for(org.manager_a).get(reverse("home")).content.decode()
    assert SETTINGS in html


def test_it_links_the_other_account_pages(client_for, org):
    html = client_for(org.leader).get(SETTINGS).content.decode()
    for name in ("accounts:account", "accounts:password_change", "accounts:two_factor"):
        assert f'href="{reverse(name)}"' in html
    html = client_for(org.manager_a).get(SETTINGS).content.decode()
    assert reverse("accounts:two_factor") not in html  # two-factor: leadership and admins


def test_the_link_shows_a_button_and_changes_nothing_when_opened(
    client, org, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = client.get(unsubscribe_url(org.manager_a, EmailKind.FOLLOW_UP_ALERT))
    assert response.status_code == 200 and 'data-testid="unsubscribe"' in response.content.decode()
    assert not EmailPreference.objects.exists()


def test_one_click_switches_that_kind_off_without_login(org):
    client = Client(enforce_csrf_checks=True)  # a mail client's one-click POST has no token
    token = unsubscribe_token(org.manager_a, EmailKind.WEEKLY_DIGEST)
    response = client.post(
        reverse("email_unsubscribe", kwargs={"token": token}),
        {"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    preference = EmailPreference.objects.get(user=org.manager_a)
    assert not preference.weekly_digest and preference.follow_up_alerts


@pytest.mark.parametrize(
    "token", ["nonsense", "1-WEEKLY_DIGEST-forged", "x-WEEKLY_DIGEST-abc", "1-NOT_A_KIND-abc"]
)
def test_a_bad_or_forged_token_changes_nothing(client, org, token):
    response = client.post(reverse("email_unsubscribe", kwargs={"token": token}))
    assert response.status_code == 404
    assert not EmailPreference.objects.exists()


def test_a_token_cannot_be_moved_to_another_user_or_kind(client, org):
    """The signature covers the user and the kind: changing either breaks it."""
    token = unsubscribe_token(org.manager_a, EmailKind.WEEKLY_DIGEST)
    user_id, kind, signature = token.split("-", 2)
    assert int(user_id) == org.manager_a.pk and kind == "WEEKLY_DIGEST"
    for forged in (
        f"{org.manager_b.pk}-WEEKLY_DIGEST-{signature}",
        f"{user_id}-FOLLOW_UP_ALERT-{signature}",
    ):
        response = client.post(reverse("email_unsubscribe", kwargs={"token": forged}))
        assert response.status_code == 404
    assert not EmailPreference.objects.exists()
