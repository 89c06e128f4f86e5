"""A customer answers the survey on a small phone in Finnish; the manager closes the loop."""

import pytest

from asiakaskunto.models import Submission
from surveys.models import FollowUp
from tests.factories import PASSWORD
from tests.surveys.factories import SurveyLinkFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_customer_answers_on_a_360_px_phone_in_finnish(org, live_server, browser, screenshot_dir):
    link = SurveyLinkFactory(team=org.team_a)
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="fi-FI", java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/s/{link.token}/")
    assert page.get_by_role("heading", name="Miten onnistuimme?").is_visible()
    page.get_by_label("Kuka sinua palveli?").select_option(label="Aino Seller")
    group = page.get_by_role("group", name="Saitko sen mitä tulit hakemaan?")
    group.get_by_label("2", exact=True).check()
    page.get_by_label("Miksi?").first.fill("Koko puuttui, eikä muuta tarjottu.")
    page.get_by_role("group", name="Aiotko asioida").get_by_label("3", exact=True).check()
    page.get_by_role("group", name="Suosittelisitko").get_by_label("5", exact=True).check()
    page.get_by_label("Hyväksyn, että vastaukseni tallennetaan").check()
    page.screenshot(path=str(screenshot_dir / "survey-customer-360-fi.png"), full_page=True)
    page.get_by_role("button", name="Lähetä vastaukset").click()
    assert page.get_by_role("heading", name="Kiitos!").is_visible()
    page.screenshot(path=str(screenshot_dir / "survey-thanks-360-fi.png"), full_page=True)
    context.close()

    submission = Submission.objects.get()
    assert submission.salesperson == org.seller_a
    follow_up = FollowUp.objects.get()
    assert follow_up.reason == "CUS1=2, CUS3=5"


def test_the_survey_is_usable_with_the_keyboard_alone(org, live_server, page):
    link = SurveyLinkFactory(salesperson=org.seller_a)
    page.goto(f"{live_server.url}/s/{link.token}/?lang=fi")
    page.locator("#id_q_CUS1_0").focus()
    page.keyboard.press("ArrowRight")  # radios in a group move with the arrow keys
    page.keyboard.press("ArrowRight")
    assert page.locator("#id_q_CUS1_2").is_checked()
    outline = page.evaluate(
        "getComputedStyle(document.querySelector('#id_q_CUS1_2 + span')).outlineStyle"
    )
    assert outline == "solid"  # a visible focus ring


def test_a_manager_resolves_a_follow_up(org, live_server, page, screenshot_dir):
    link = SurveyLinkFactory(salesperson=org.seller_a)
    page.goto(f"{live_server.url}/s/{link.token}/?lang=fi")
    page.get_by_role("group", name="Saitko").get_by_label("4", exact=True).check()
    page.get_by_role("group", name="Aiotko").get_by_label("4", exact=True).check()
    page.get_by_role("group", name="Suosittelisitko").get_by_label("3", exact=True).check()
    page.get_by_label("Miksi?").nth(2).fill("Jonotin pitkään.")
    page.get_by_label("Hyväksyn").check()
    page.get_by_role("button", name="Lähetä vastaukset").click()
    assert page.get_by_role("heading", name="Kiitos!").is_visible()

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Käyttäjätunnus").fill("manager_a")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    panel = page.get_by_test_id("surveys-panel")
    assert "Suosittelisitko tuotteitamme ja…: 3" in panel.inner_text()
    assert "CUS3" not in panel.inner_text()
    panel.get_by_role("link", name="Aino Seller").click()
    assert page.get_by_text("Jonotin pitkään.").is_visible()
    page.get_by_label("Tila").select_option("RESOLVED")
    page.get_by_label("Muistiinpano").fill("Soitin ja pahoittelin.")
    page.get_by_role("button", name="Tallenna").click()
    assert page.get_by_text("Seuranta tallennettu.").is_visible()
    page.screenshot(path=str(screenshot_dir / "survey-follow-ups-fi.png"), full_page=True)
    assert FollowUp.objects.get().status == "RESOLVED"


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _in_view(locator, width=360) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def test_the_follow_ups_fit_a_360_px_phone(org, live_server, browser, screenshot_dir):
    """The list shows the answers and the status, the detail the "why" texts, without
    sideways scrolling."""
    link = SurveyLinkFactory(salesperson=org.seller_a)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fi-FI")
    page = context.new_page()
    page.goto(f"{live_server.url}/s/{link.token}/?lang=fi")
    page.get_by_role("group", name="Saitko").get_by_label("2", exact=True).check()
    page.get_by_label("Miksi?").first.fill("Kokoa ei ollut, eikä muuta tarjottu tilalle.")
    page.get_by_role("group", name="Aiotko").get_by_label("2", exact=True).check()
    page.get_by_role("group", name="Suosittelisitko").get_by_label("3", exact=True).check()
    page.get_by_label("Hyväksyn").check()
    page.get_by_role("button", name="Lähetä vastaukset").click()
    assert page.get_by_role("heading", name="Kiitos!").is_visible()

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Käyttäjätunnus").fill("manager_a")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.goto(f"{live_server.url}/surveys/follow-ups/")
    page.screenshot(path=str(screenshot_dir / "follow-up-list-360-fi.png"), full_page=True)
    assert _fits(page)
    table = page.get_by_test_id("follow-ups")
    assert _in_view(table.get_by_text("Avoin"))
    assert _in_view(table.get_by_text("Saitko sen mitä tulit hakemaan?: 2"))
    table.get_by_role("link").first.click()
    page.screenshot(path=str(screenshot_dir / "follow-up-detail-360-fi.png"), full_page=True)
    assert _fits(page)
    assert _in_view(page.get_by_text("Kokoa ei ollut, eikä muuta tarjottu tilalle."))
    context.close()
