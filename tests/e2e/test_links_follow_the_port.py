"""With SITE_URL unset, the links the app hands out point at the port it is really served on:
the live server's port is a random one, and the copied links open there."""

import pytest

from tests.factories import PASSWORD
from tests.observations.factories import MysteryPlanFactory, ensure_question_bank
from tests.surveys.factories import SurveyLinkFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_manager_copies_the_mystery_and_survey_links_and_they_open(
    org, live_server, page, settings, screenshot_dir
):
    settings.SITE_URL = ""
    ensure_question_bank()
    plan = MysteryPlanFactory(salesperson=org.seller_a)
    link = SurveyLinkFactory(salesperson=org.seller_a)
    assert not live_server.url.endswith(":8000")
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Käyttäjätunnus").fill("manager_a")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    mystery = page.get_by_test_id("plan-link").input_value()
    assert mystery == f"{live_server.url}/m/{plan.token}/"
    page.goto(mystery)
    assert page.locator("form").count() >= 1 and page.url == mystery

    page.goto(f"{live_server.url}/surveys/links/{link.pk}/print/")
    page.screenshot(path=str(screenshot_dir / "surveys-link-print-port.png"))
    survey = f"{live_server.url}/s/{link.token}/"
    assert survey in page.content()
    response = page.goto(survey)
    assert response.status == 200
