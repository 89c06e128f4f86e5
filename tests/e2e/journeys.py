"""What the browser journeys share: logging in through the login form as a factory user (whose
password is ``tests.factories.PASSWORD``), the 360 x 740 phone viewport, and the check that a
page does not scroll sideways. One copy here, so that a change to the login form or to the phone
size is made once rather than in every journey module.

Not a test module (no ``test_`` prefix): pytest only imports it through the journeys."""

from tests.factories import PASSWORD

PHONE = {"width": 360, "height": 740}


def log_in(page, live_server, username):
    """Log ``username`` in through the login form and wait until the next page has loaded."""
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Käyttäjätunnus").fill(username)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.wait_for_load_state()


def no_horizontal_scroll(page):
    """Whether the page fits the viewport's width (nothing to scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
