from django.urls import reverse

from tests.factories import PASSWORD


def test_it_logs_in_and_shows_the_managers_home(org, client):
    response = client.post(
        reverse("login"), {"username": "manager_a", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.wsgi_request.user == org.manager_a
    assert "Team A" in response.content.decode()


def test_a_wrong_password_gets_one_message_that_does_not_say_which_half_was_wrong(org, client):
    wrong_password = client.post(reverse("login"), {"username": "manager_a", "password": "nope"})
    wrong_user = client.post(reverse("login"), {"username": "nobody", "password": PASSWORD})
    assert wrong_password.status_code == wrong_user.status_code == 200
    message = "Väärä käyttäjätunnus tai salasana"
    assert message in wrong_password.content.decode()
    assert message in wrong_user.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_username_out_even_with_the_right_password(
    org, client, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "manager_a", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "manager_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_logout_needs_a_post(org, client_for):
    client = client_for(org.manager_a)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_ui_speaks_finnish_by_default_and_english_on_request(org, client_for):
    client = client_for(org.manager_a)
    assert "Kirjaudu ulos" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log out" in client.get(reverse("home")).content.decode()
