"""A standing link takes many answers but refuses an identical repeat from one browser, and
limits the answers per client address."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from asiakaskunto.models import Submission
from surveys.throttle import client_address
from tests.surveys.factories import survey_post

pytestmark = pytest.mark.django_db


def url(link):
    return reverse("surveys_public:link", kwargs={"token": link.token})


def test_an_identical_repeat_from_the_same_browser_is_stored_once(client, seller_link):
    first = client.post(url(seller_link), survey_post())
    again = client.post(url(seller_link), survey_post())
    assert first.status_code == again.status_code == 302
    assert "repeat=1" in again["Location"]
    assert Submission.objects.count() == 1
    page = client.get(again["Location"])
    assert "Saimme nämä vastaukset jo" in page.content.decode()


def test_a_different_answer_from_the_same_browser_is_stored(client, seller_link):
    client.post(url(seller_link), survey_post())
    client.post(url(seller_link), survey_post(q_CUS3="7"))
    assert Submission.objects.count() == 2


def test_the_same_answer_from_another_browser_is_stored(client, seller_link):
    from django.test import Client

    client.cookies["csrftoken"] = "a" * 32
    client.post(url(seller_link), survey_post())
    other = Client()
    other.cookies["csrftoken"] = "b" * 32
    other.post(url(seller_link), survey_post())
    assert Submission.objects.count() == 2


def test_the_repeat_window_is_a_setting(client, seller_link, settings):
    settings.SURVEY_REPEAT_WINDOW_SECONDS = 0.001
    import time

    client.post(url(seller_link), survey_post())
    time.sleep(0.01)
    client.post(url(seller_link), survey_post())
    assert Submission.objects.count() == 2


def test_answers_over_the_rate_limit_get_429_and_are_not_stored(client, seller_link, settings):
    settings.SURVEY_RATE_LIMIT = 3
    for value in range(3):
        assert client.post(url(seller_link), survey_post(q_CUS3=str(value + 7))).status_code == 302
    response = client.post(url(seller_link), survey_post(q_CUS3="10"))
    assert response.status_code == 429
    assert "Liian monta vastausta" in response.content.decode()
    assert Submission.objects.count() == 3


def test_the_rate_limit_counts_per_client_address(client, seller_link, settings):
    settings.SURVEY_RATE_LIMIT = 1
    assert client.post(url(seller_link), survey_post(), REMOTE_ADDR="10.0.0.1").status_code == 302
    response = client.post(url(seller_link), survey_post(q_CUS3="8"), REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302


def test_a_limit_of_zero_switches_the_rate_limit_off(client, seller_link, settings):
    settings.SURVEY_RATE_LIMIT = 0
    for value in range(5):
        assert client.post(url(seller_link), survey_post(q_CUS3=str(value))).status_code == 302


def test_x_forwarded_for_is_ignored_unless_a_proxy_is_trusted(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8"
    )
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.0/8"]
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.9"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "5.6.7.8"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request) == "1.2.3.4"
    settings.TRUSTED_PROXY_COUNT = 3  # fewer entries than proxies: fall back to the peer
    assert client_address(request) == "10.0.0.9"


def test_by_default_only_a_proxy_on_this_host_is_believed(settings):
    """With TRUSTED_PROXY_COUNT set but FORWARDED_ALLOW_IPS left as it is, a client that
    reaches the app port directly cannot choose its address (as gunicorn's own default)."""
    from asiakaskunto import settings as project_settings

    settings.FORWARDED_ALLOW_IPS = project_settings.FORWARDED_ALLOW_IPS
    settings.TRUSTED_PROXY_COUNT = 1
    direct = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(direct) == "203.0.113.9"
    local = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(local) == "1.2.3.4"


def test_a_client_cannot_dodge_the_limit_by_forging_x_forwarded_for(client, seller_link, settings):
    settings.SURVEY_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 1
    client.post(url(seller_link), survey_post(), HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.1.1")
    response = client.post(
        url(seller_link), survey_post(q_CUS3="8"), HTTP_X_FORWARDED_FOR="7.7.7.7, 10.1.1.1"
    )
    assert response.status_code == 429


def test_two_customers_with_the_same_answers_on_one_device_are_both_stored(client, seller_link):
    """Each opening of the survey gives its form a new key: the next customer at the counter
    device is not mistaken for a repeat of the previous one."""
    for _ in range(2):
        form_key = client.get(url(seller_link)).context["form"]["form_key"].value()
        response = client.post(url(seller_link), survey_post(form_key=str(form_key)))
        assert response.status_code == 302 and "repeat" not in response["Location"]
    assert Submission.objects.count() == 2


def test_the_same_form_sent_twice_is_stored_once(client, seller_link):
    form_key = str(client.get(url(seller_link)).context["form"]["form_key"].value())
    client.post(url(seller_link), survey_post(form_key=form_key))
    again = client.post(url(seller_link), survey_post(form_key=form_key, q_CUS3="3"))
    assert "repeat=1" in again["Location"]
    assert Submission.objects.count() == 1


def test_the_database_refuses_a_form_key_twice_even_when_the_cache_forgot_it(client, seller_link):
    from asiakaskunto.cache import shared_cache as cache

    form_key = str(client.get(url(seller_link)).context["form"]["form_key"].value())
    client.post(url(seller_link), survey_post(form_key=form_key))
    cache.clear()  # another app process, or an evicted key
    again = client.post(url(seller_link), survey_post(form_key=form_key))
    assert again.status_code == 302 and "repeat=1" in again["Location"]
    assert Submission.objects.count() == 1


def test_the_survey_page_is_never_cached(client, seller_link):
    assert "no-cache" in client.get(url(seller_link))["Cache-Control"]


def test_a_cached_link_stops_at_once_when_rotated_switched_off_or_its_salesperson_leaves(
    client, seller_link
):
    """The link lookup is cached for speed; every change that ends a link ends it at once."""
    assert client.get(url(seller_link)).status_code == 200  # now in the cache
    old_url = url(seller_link)
    seller_link.rotate()
    assert client.get(old_url).status_code == 404
    assert client.get(url(seller_link)).status_code == 200
    seller_link.active = False
    seller_link.save(update_fields=["active"])
    assert client.get(url(seller_link)).status_code == 404
    seller_link.active = True
    seller_link.save(update_fields=["active"])
    assert client.get(url(seller_link)).status_code == 200
    person = seller_link.salesperson
    person.active = False
    person.save(update_fields=["active"])
    assert client.get(url(seller_link)).status_code == 404


def test_an_organisation_switching_csat_off_shows_at_once(client, seller_link):
    assert "q_CSAT" in client.get(url(seller_link)).content.decode()
    organisation = seller_link.organisation
    organisation.survey_csat = False
    organisation.save()
    assert "q_CSAT" not in client.get(url(seller_link)).content.decode()
