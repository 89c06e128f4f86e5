"""The browser's console stays clean: the CSP lets the page's own scripts run (no "invalid
source", no blocked script) and nothing the browser asks for by itself (the favicon) 404s."""

import pytest

from tests.factories import PASSWORD
from tests.reports.dashboard_data import fill

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def watch(page):
    problems = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    return problems


def test_the_dashboard_draws_its_charts_with_a_clean_console(org, live_server, page):
    fill([org.team_a], people_per_team=3, surveys=6)
    problems = watch(page)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Käyttäjätunnus").fill("leader")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.goto(f"{live_server.url}/reports/")
    page.locator("svg.main-svg").first.wait_for()
    page.goto(f"{live_server.url}/favicon.ico")
    assert problems == []
