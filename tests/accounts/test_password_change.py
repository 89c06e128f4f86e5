"""Every logged-in user changes their own password on the account page."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

CHANGE = reverse("accounts:password_change")


def post(client, old, new1, new2=None):
    return client.post(
        CHANGE, {"old_password": old, "new_password1": new1, "new_password2": new2 or new1}
    )


@pytest.mark.parametrize("who", ["leader", "manager_a", "seller_a_user", "admin"])
def test_every_role_finds_the_page_in_the_user_menu(org, client_for, who):
    page = client_for(getattr(org, who)).get(reverse("home")).content.decode()
    assert CHANGE in page
    assert client_for(getattr(org, who)).get(CHANGE).status_code == 200


def test_a_stranger_is_sent_to_log_in(client, db):
    response = client.get(CHANGE)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_password_changes_and_the_session_stays(org, client_for):
    client = client_for(org.manager_a)
    response = post(client, PASSWORD, "Syysmyrsky-Hanko-77")
    assert response.status_code == 302 and response.url == reverse("accounts:account")
    org.manager_a.refresh_from_db()
    assert org.manager_a.check_password("Syysmyrsky-Hanko-77")
    page = client.get(response.url)
    assert page.status_code == 200 and "Salasana vaihdettu." in page.content.decode()


@pytest.mark.parametrize(
    "old, new1, new2, message",
    [
        ("wrong", "Syysmyrsky-Hanko-77", None, "Vanha salasana on virheellinen"),
        (PASSWORD, "Syysmyrsky-Hanko-77", "Syysmyrsky-Hanko-78", "Salasanakentät eivät täsmänneet"),
        (PASSWORD, "short1", None, "Tämä salasana on liian lyhyt"),
        (PASSWORD, "12345678901", None, "Tämä salasana on kokonaan numeerinen"),
        (PASSWORD, "", None, "Tämä kenttä vaaditaan"),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(org, client_for, old, new1, new2, message):
    client = client_for(org.manager_a)
    response = post(client, old, new1, new2)
    assert response.status_code == 200
    assert message in response.content.decode()
    org.manager_a.refresh_from_db()
    assert org.manager_a.check_password(PASSWORD)


@pytest.mark.parametrize(
    "language, message",
    [
        ("sv", "Ditt gamla lösenord var felaktigt"),
        ("en", "Your old password was entered incorrectly"),
    ],
)
def test_the_messages_follow_the_language(org, client_for, language, message):
    client = client_for(org.manager_a)
    client.cookies["django_language"] = language
    assert message in post(client, "wrong", "Syysmyrsky-Hanko-77").content.decode()
