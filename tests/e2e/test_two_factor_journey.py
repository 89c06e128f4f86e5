"""A leader whose organisation requires two-factor sign-in logs in on a phone, scans the QR code
(here: reads the key under it, as an authenticator app would), turns it on, and next time gives
a code after the password."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import totp

from tests.e2e.journeys import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def code_from(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the typed key (``steps_ahead``: a later code)."""
    key = secret.replace(" ", "")
    key = b32decode(key + "=" * (-len(key) % 8))
    return f"{totp(key, 30, 0 - steps_ahead * 30, 6):06d}"


def test_a_required_leader_sets_up_an_app_and_then_gives_a_code(
    org, live_server, page, screenshot_dir
):
    org.organisation.require_two_factor_for_leadership = True
    org.organisation.save()
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.set_viewport_size({"width": 360, "height": 800})

    log_in(page, live_server, "leader")
    assert "/account/two-factor/setup/" in page.url
    assert page.get_by_test_id("two-factor-required").is_visible()
    assert page.get_by_test_id("two-factor-qr").locator("svg").is_visible()
    secret = page.get_by_test_id("two-factor-secret").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(screenshot_dir / "two-factor-setup-phone-fi.png"), full_page=True)

    page.get_by_label("Koodi sovelluksesta").fill(
        "000000" if code_from(secret) != "000000" else "111111"
    )
    page.get_by_role("button", name="Ota käyttöön").click()
    assert page.get_by_text("Koodi on väärä tai vanhentunut").is_visible()
    time.sleep(1.1)  # one wrong code slows the next try down by a second
    page.get_by_label("Koodi sovelluksesta").fill(code_from(secret))
    page.get_by_role("button", name="Ota käyttöön").click()
    assert page.get_by_test_id("home-title").inner_text().startswith("Johto")
    assert page.get_by_text("Kaksivaiheinen kirjautuminen on käytössä").is_visible()

    page.locator(".navbar-toggler").click()  # the phone's collapsed navigation
    # Bootstrap marks it "show" once it has finished opening: a click while it still slides
    # open (slow on a loaded machine) can land beside the moving logout button.
    page.locator("#main-nav.show").wait_for()
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Kirjaudu ulos").click()
    # The logout's own navigation must finish first: a login page opened while it is still on
    # its way finds the session signed in and goes on to the home page.
    page.wait_for_url("**/login/**")
    log_in(page, live_server, "leader")
    assert "/account/two-factor/verify/" in page.url
    page.screenshot(path=str(screenshot_dir / "two-factor-verify-phone-fi.png"), full_page=True)
    page.get_by_label("Koodi sovelluksesta").fill(code_from(secret, steps_ahead=1))
    page.get_by_test_id("two-factor-verify").click()
    assert page.get_by_test_id("home-title").inner_text().startswith("Johto")
    assert not problems, problems
