"""Absolute links (mystery-shopper and survey links, QR codes, e-mails) point where the app is
really served: SITE_URL when set, else the request's own address, else what a caller passed,
else the address `make run` started the server on."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from qrcode.image.svg import SvgPathImage

from asiakaskunto.links import absolute_url, site_url
from observations.models import MysteryPlan
from surveys.models import Invitation
from surveys.views.staff import _qr
from tests.observations.factories import MysteryPlanFactory
from tests.surveys.factories import SurveyLinkFactory

SERVED_ON = "127.0.0.1:8731"


@pytest.fixture
def unset_site_url(settings):
    settings.SITE_URL = ""
    settings.SERVED_URL = "http://127.0.0.1:8000"
    return settings


def request_on(host, *, secure=False):
    return RequestFactory().get("/", HTTP_HOST=host, secure=secure)


def test_without_site_url_a_link_takes_the_requests_host_and_port(unset_site_url):
    assert absolute_url("/s/abc/", request=request_on(SERVED_ON)) == "http://127.0.0.1:8731/s/abc/"
    https = request_on("localhost", secure=True)
    assert absolute_url("/m/x/", request=https) == "https://localhost/m/x/"


def test_site_url_when_set_wins_over_the_request(unset_site_url):
    unset_site_url.SITE_URL = "https://asiakaskunto.example"
    assert (
        absolute_url("/s/abc/", request=request_on(SERVED_ON))
        == "https://asiakaskunto.example/s/abc/"
    )
    assert absolute_url("/s/abc/", base="http://other:1") == "https://asiakaskunto.example/s/abc/"


def test_work_without_a_request_uses_the_base_it_was_given_else_the_served_address(
    unset_site_url,
):
    assert absolute_url("/s/i/t/", base="http://127.0.0.1:8731/") == "http://127.0.0.1:8731/s/i/t/"
    assert absolute_url("/s/i/t/") == "http://127.0.0.1:8000/s/i/t/"
    unset_site_url.SERVED_URL = "http://0.0.0.0:9000"
    assert site_url() == "http://0.0.0.0:9000"


def test_a_relative_path_is_refused():
    with pytest.raises(ValueError):
        absolute_url("s/abc/")


def follow(client, link):
    """Open an absolute link with the test client, checking that it points at this server."""
    parts = urlsplit(link)
    assert parts.netloc == SERVED_ON, link
    return client.get(parts.path + (f"?{parts.query}" if parts.query else ""), HTTP_HOST=SERVED_ON)


@pytest.mark.django_db
def test_the_mystery_link_on_the_plan_page_follows_the_port_and_opens_the_form(org, unset_site_url):
    plan = MysteryPlanFactory(salesperson=org.seller_a)
    staff = Client()
    staff.force_login(org.manager_a)
    page = staff.get(plan.get_absolute_url(), HTTP_HOST=SERVED_ON).content.decode()
    link = re.search(r'id="plan-link"[^>]*value="([^"]+)"', page).group(1)
    assert link == f"http://{SERVED_ON}/m/{plan.token}/"
    assert follow(Client(), link).status_code == 200


@pytest.mark.django_db
def test_the_mystery_e_mail_carries_the_address_the_manager_used(
    org, unset_site_url, django_capture_on_commit_callbacks
):
    plan = MysteryPlanFactory(salesperson=org.seller_a, shopper_email="sari@example.com")
    staff = Client()
    staff.force_login(org.manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("observations:plan_send", args=[plan.pk]), HTTP_HOST=SERVED_ON)
    link = re.search(r"http\S+", mail.outbox[0].body).group(0)
    assert link == f"http://{SERVED_ON}/m/{plan.token}/"
    assert follow(Client(), link).status_code == 200
    assert MysteryPlan.objects.get().used_at is None


@pytest.mark.django_db
def test_survey_links_print_page_and_qr_code_follow_the_port(org, unset_site_url):
    link = SurveyLinkFactory(salesperson=org.seller_a)
    staff = Client()
    staff.force_login(org.manager_a)
    expected = f"http://{SERVED_ON}/s/{link.token}/"
    listing = staff.get(reverse("surveys:links"), HTTP_HOST=SERVED_ON).content.decode()
    assert expected in listing
    printed = staff.get(reverse("surveys:link_print", args=[link.pk]), HTTP_HOST=SERVED_ON)
    assert expected in printed.content.decode()
    svg = staff.get(reverse("surveys:link_qr_svg", args=[link.pk]), HTTP_HOST=SERVED_ON).content
    drawn = _qr(expected, box_size=10).make_image(image_factory=SvgPathImage)
    assert svg.decode() == drawn.to_string(encoding="unicode")
    assert follow(Client(), expected).status_code == 200


@pytest.mark.django_db
def test_invitation_e_mails_carry_the_address_the_manager_used(
    org, unset_site_url, django_capture_on_commit_callbacks
):
    staff = Client()
    staff.force_login(org.manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("surveys:invitations"),
            {"salesperson": org.seller_a.pk, "emails": "matti@example.com", "language": "fi"},
            HTTP_HOST=SERVED_ON,
        )
    invitation = Invitation.objects.get()
    link = re.search(r"http\S+", mail.outbox[0].body).group(0)
    assert link.startswith(f"http://{SERVED_ON}/s/") and invitation.token in link
    assert follow(Client(), link).status_code == 200


def test_the_deploy_check_warns_when_site_url_is_unset(unset_site_url):
    from asiakaskunto.links import check_site_url

    assert [warning.id for warning in check_site_url()] == ["asiakaskunto.W001"]
    unset_site_url.SITE_URL = "https://asiakaskunto.example"
    assert check_site_url() == []
