"""With DEBUG off, a missing page and a server error answer in the site's look and the user's
language."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import include, path


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken), path("", include("asiakaskunto.urls"))]
handler500 = "asiakaskunto.views.server_error"

pytestmark = pytest.mark.django_db


def client_in(language):
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize(
    ("language", "heading"),
    [("fi", "Sivua ei löytynyt"), ("sv", "Sidan hittades inte"), ("en", "Page not found")],
)
def test_a_missing_page_is_a_404_in_the_users_language_and_the_sites_look(language, heading):
    response = client_in(language).get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert heading in html
    assert f'<html lang="{language}">' in html
    assert "bootstrap.min.css" in html and "navbar" in html


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize(
    ("language", "heading"),
    [("fi", "Jokin meni vikaan"), ("sv", "Något gick fel"), ("en", "Something went wrong")],
)
def test_a_server_error_is_a_500_in_the_users_language_and_the_sites_look(language, heading):
    assert not settings.DEBUG
    response = client_in(language).get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert heading in html
    assert f'<html lang="{language}">' in html
    assert "bootstrap.min.css" in html and "navbar" in html
    assert "RuntimeError" not in html
