"""What every page leans on: a CSP nonce that the page's scripts carry, 404 (not 500) for a
missing static file, and a favicon."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def nonce_of(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    found = re.search(r"'nonce-([^']+)'", script_src)
    assert found, f"no nonce in {script_src!r}"
    return found.group(1)


def test_the_login_page_scripts_carry_the_nonce_of_its_header(client):
    response = client.get("/login/")
    nonce = nonce_of(response)
    scripts = re.findall(r"<script\b[^>]*\bsrc=[^>]*>", response.content.decode())
    assert scripts
    for script in scripts:
        assert f'nonce="{nonce}"' in script, script
    assert "'nonce'" not in response.headers["Content-Security-Policy"]


def test_each_response_gets_its_own_nonce(client):
    assert nonce_of(client.get("/login/")) != nonce_of(client.get("/login/"))


def test_a_staff_page_with_charts_carries_the_nonce_on_every_script(org, client_for):
    response = client_for(org.leader).get("/reports/")
    nonce = nonce_of(response)
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*\bsrc=[^>]*>", html)
    assert any("plotly" in script for script in scripts)
    assert all(f'nonce="{nonce}"' in script for script in scripts)


def test_the_static_finders_find_nothing_for_a_missing_file():
    assert not finders.find("css/does-not-exist.css")
    assert finders.find("vendor/plotly.min.js")


def test_a_missing_static_file_answers_404_when_whitenoise_uses_the_finders(settings):
    # As under `make run` (DEBUG on): whitenoise looks each request up through the finders.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    fresh = Client(raise_request_exception=False)
    assert fresh.get("/static/css/does-not-exist.css").status_code == 404
    assert fresh.get("/static/css/app.css").status_code == 200


def test_the_favicon_is_served():
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO header


def test_whitenoise_can_make_brotli_files():
    """collectstatic writes .br beside .gz only when the brotli package is installed: plotly.js
    is 4.8 MB raw, 1.47 MB gzipped, 1.11 MB with brotli."""
    from whitenoise.compress import Compressor

    assert Compressor(quiet=True).use_brotli


def test_collected_static_files_are_served_compressed(settings, tmp_path):
    """As under `make run` (finders off): the collected file's brotli or gzip copy is sent to a
    browser that accepts it."""
    from whitenoise.compress import Compressor

    script = tmp_path / "vendor" / "plotly.min.js"
    script.parent.mkdir()
    script.write_text("var plotly = '" + "chart " * 5000 + "';\n")
    Compressor(quiet=True).compress(str(script))
    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = True
    fresh = Client()
    brotli = fresh.get("/static/vendor/plotly.min.js", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert brotli.status_code == 200 and brotli["Content-Encoding"] == "br"
    assert int(brotli["Content-Length"]) < script.stat().st_size / 10
    gzip = fresh.get("/static/vendor/plotly.min.js", HTTP_ACCEPT_ENCODING="gzip")
    assert gzip["Content-Encoding"] == "gzip"
