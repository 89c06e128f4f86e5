"""A user who forgot the password gets a link by e-mail; the page never tells whether an account
has the address; requests are limited per client address and per e-mail address."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

RESET = reverse("accounts:password_reset")
SENT = reverse("accounts:password_reset_done")


@pytest.fixture
def manager(org):
    org.manager_a.email = "maija.manager@example.com"
    org.manager_a.save()
    return org.manager_a


def without_csrf(page: bytes) -> bytes:
    """The page without what differs on every request anyway (CSRF token, CSP nonce)."""
    page = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", page)
    return re.sub(rb'nonce="[^"]+"', b"", page)


def link_in(message) -> str:
    return re.search(r"https?://\S+/account/password/reset/\S+/", message.body).group(0)


def test_the_login_page_links_to_the_reset(client, db):
    assert RESET in client.get(reverse("login")).content.decode()


def test_the_reset_e_mail_is_sent_and_its_link_sets_a_new_password(client, manager, settings):
    settings.SITE_URL = "https://asiakaskunto.example"
    response = client.post(RESET, {"email": "MAIJA.manager@example.com"})
    assert response.status_code == 302 and response.url == SENT
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["maija.manager@example.com"]
    assert message.subject == "Valitse uusi salasana Asiakaskuntoon"
    link = link_in(message)
    assert link.startswith("https://asiakaskunto.example/account/password/reset/")

    path = link.removeprefix("https://asiakaskunto.example")
    form_page = client.get(path, follow=True)  # Django swaps the token for a session key
    assert form_page.context["validlink"] is True
    new = "Kesäkuun-aurinko-42"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302 and done.url == reverse("accounts:password_reset_complete")
    manager.refresh_from_db()
    assert manager.check_password(new) and not manager.check_password(PASSWORD)
    # Used once: the same link now says so.
    again = client.get(path, follow=True)
    assert again.context["validlink"] is False
    assert "Tämä linkki on jo käytetty tai se on vanhentunut." in again.content.decode()


def test_the_reset_does_not_trust_the_host_header(client, manager, settings):
    settings.SITE_URL = "https://asiakaskunto.example"
    settings.ALLOWED_HOSTS = ["*"]
    client.post(RESET, {"email": manager.email}, HTTP_HOST="evil.example")
    assert "evil.example" not in mail.outbox[0].body


def test_an_unknown_address_gets_the_same_page_and_no_e_mail(client, manager):
    known = client.post(RESET, {"email": manager.email}, follow=True)
    unknown = client.post(RESET, {"email": "nobody@example.com"}, follow=True)
    assert len(mail.outbox) == 1
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert without_csrf(known.content) == without_csrf(unknown.content)


def test_a_malformed_address_gets_a_message(client, db):
    response = client.post(RESET, {"email": "not-an-address"})
    assert response.status_code == 200
    assert "Anna kelvollinen sähköpostiosoite." in response.content.decode()
    assert len(mail.outbox) == 0


def test_one_address_gets_only_a_few_e_mails_an_hour(client, manager, settings):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 3
    responses = [
        client.post(RESET, {"email": manager.email}, REMOTE_ADDR=f"10.0.0.{n}") for n in range(5)
    ]
    assert len(mail.outbox) == 3
    assert {r.status_code for r in responses} == {302}  # the page does not tell


def test_one_client_address_is_refused_after_its_limit(client, manager, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 4
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 100
    codes = [
        client.post(RESET, {"email": f"user{n}@example.com"}, REMOTE_ADDR="192.0.2.7").status_code
        for n in range(4)
    ]
    assert codes == [302] * 4
    limited = client.post(RESET, {"email": manager.email}, REMOTE_ADDR="192.0.2.7")
    assert limited.status_code == 429
    assert "Liian monta" in limited.content.decode()
    assert len(mail.outbox) == 0
    other = client.post(RESET, {"email": manager.email}, REMOTE_ADDR="192.0.2.8")
    assert other.status_code == 302 and len(mail.outbox) == 1


def test_the_limit_is_counted_where_every_app_process_sees_it(client, manager, settings):
    """Each process's own memory (Django's default cache without Redis) would let every worker
    send its own three e-mails: the counters are in the shared cache."""
    from django.core.cache import cache as per_process

    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 3
    for n in range(5):
        per_process.clear()  # as if each request reached another worker
        client.post(RESET, {"email": manager.email}, REMOTE_ADDR=f"10.0.1.{n}")
    assert len(mail.outbox) == 3


def test_the_link_has_the_servers_address_without_site_url(client, manager, settings):
    settings.SITE_URL = ""
    client.post(RESET, {"email": manager.email}, HTTP_HOST="127.0.0.1:8731")
    assert link_in(mail.outbox[0]).startswith("http://127.0.0.1:8731/account/password/reset/")


def test_an_unreachable_cache_lets_the_reset_through(client, manager, monkeypatch):
    from asiakaskunto.cache import shared_cache as cache

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "add", down)
    response = client.post(RESET, {"email": manager.email})
    assert response.status_code == 302 and len(mail.outbox) == 1


@pytest.mark.parametrize(
    "language, title", [("sv", "Glömt ditt lösenord?"), ("en", "Forgot your password?")]
)
def test_the_reset_page_speaks_the_chosen_language(client, db, language, title):
    client.cookies["django_language"] = language
    assert title in client.get(RESET).content.decode()
