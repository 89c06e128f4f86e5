"""QR codes of standing links: PNG, SVG and a printable A5 page, all pointing at the link."""

import io

import pytest
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db


def test_the_png_is_a_square_image(client_for, org, seller_link):
    response = client_for(org.manager_a).get(reverse("surveys:link_qr_png", args=[seller_link.pk]))
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size[0] == image.size[1] >= 300


def test_the_svg_is_an_svg_and_downloads_with_a_name(client_for, org, seller_link):
    url = reverse("surveys:link_qr_svg", args=[seller_link.pk])
    response = client_for(org.manager_a).get(url + "?download=1")
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<") and b"<svg" in response.content
    assert "attachment" in response["Content-Disposition"]


def test_the_print_page_is_a5_with_the_link(client_for, org, seller_link, settings):
    settings.SITE_URL = "https://asiakaskunto.example"
    html = client_for(org.manager_a).get(reverse("surveys:link_print", args=[seller_link.pk]))
    html = html.content.decode()
    assert f"https://asiakaskunto.example/s/{seller_link.token}/" in html
    assert reverse("surveys:link_qr_svg", args=[seller_link.pk]) in html
    assert "Aino Seller" in html


def test_the_qr_code_encodes_the_public_link(seller_link, settings, rf):
    from surveys.views.staff import _qr, link_url

    settings.SITE_URL = ""
    code = _qr(link_url(seller_link, request=rf.get("/", HTTP_HOST="localhost:8731")))
    assert code.data_list[0].data.decode() == f"http://localhost:8731/s/{seller_link.token}/"


def test_rotating_changes_the_qr_code(client_for, org, seller_link):
    client = client_for(org.manager_a)
    before = client.get(reverse("surveys:link_qr_svg", args=[seller_link.pk])).content
    client.post(reverse("surveys:link_rotate", args=[seller_link.pk]), {"confirm": "yes"})
    after = client.get(reverse("surveys:link_qr_svg", args=[seller_link.pk])).content
    assert before != after


def test_new_link_asks_first_and_changes_nothing_until_confirmed(client_for, org, seller_link):
    client = client_for(org.manager_a)
    url = reverse("surveys:link_rotate", args=[seller_link.pk])
    token = seller_link.token
    page = client.post(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="confirm" value="yes"' in html and f'action="{url}"' in html
    assert reverse("surveys:links") in html  # cancel goes back
    assert "Tee uusi linkki" in html
    seller_link.refresh_from_db()
    assert seller_link.token == token
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    seller_link.refresh_from_db()
    assert seller_link.token != token
