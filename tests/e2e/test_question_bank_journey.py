"""Leadership on a 360-px phone edits the organisation's question bank: a wrong scale for NPS
is refused in Finnish, a new customer question written in Finnish and Swedish is saved and the
survey asks it in both languages; a richer observation question taken into use shows on the
manager's checklist."""

import pytest
from playwright.sync_api import expect

from asiakaskunto.models import Question
from tests.surveys.factories import SurveyLinkFactory

from .journeys import PHONE, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FI = "Kiittikö myyjä sinua käynnistäsi?"
SV = "Tackade säljaren dig för besöket?"


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_leadership_adds_a_question_in_finnish_and_swedish_and_the_survey_asks_it(
    org, live_server, browser, screenshot_dir
):
    link = SurveyLinkFactory(salesperson=org.seller_a)
    context = browser.new_context(viewport=PHONE, locale="fi-FI")
    page = context.new_page()
    log_in(page, live_server, "leader")
    page.get_by_test_id("home-question-bank").click()
    expect(page.get_by_role("heading", name="Kysymyspankki", exact=True)).to_be_visible()
    assert fits(page)
    page.screenshot(path=str(screenshot_dir / "question-bank-360-fi.png"), full_page=True)

    page.get_by_test_id("new-question").click()
    page.get_by_label("Sanamuoto suomeksi").fill(FI)
    page.get_by_label("Sanamuoto ruotsiksi").fill(SV)
    page.get_by_label("Sanamuoto englanniksi").fill("Did the salesperson thank you for coming?")
    page.get_by_label("Mittaustapa").select_option(label="Kysy asiakkaalta")
    page.get_by_label("Mitattava osa-alue").select_option(label="Asiakasuskollisuus")
    page.get_by_label("Mittari, johon se vaikuttaa").select_option("NPS")
    page.get_by_label("Asteikko").select_option("FIVE_POINT")
    page.get_by_test_id("save-question").click()
    # NPS on 1–5 is refused with the rule in Finnish, and nothing is saved.
    expect(page.get_by_test_id("error-scale")).to_contain_text("NPS kysytään asteikolla 0–10")
    assert not Question.objects.filter(text_fi=FI).exists()
    assert fits(page)
    page.screenshot(path=str(screenshot_dir / "question-form-error-360-fi.png"), full_page=True)

    page.get_by_label("Mittari, johon se vaikuttaa").select_option("")
    page.get_by_test_id("save-question").click()
    expect(page.get_by_role("status")).to_contain_text("Kysymys lisätty ja käytössä")
    expect(page.get_by_test_id("bank-CUSTOMER")).to_contain_text(FI)
    page.screenshot(path=str(screenshot_dir / "question-bank-added-360-fi.png"), full_page=True)
    context.close()

    question = Question.objects.get(organisation=org.organisation, text_fi=FI)
    assert (question.text_sv, question.active, question.scale) == (SV, True, "FIVE_POINT")

    customer = browser.new_context(viewport=PHONE, locale="sv-SE", java_script_enabled=False)
    survey = customer.new_page()
    survey.goto(f"{live_server.url}/s/{link.token}/?lang=sv")
    expect(survey.get_by_role("group", name=SV)).to_be_visible()
    assert fits(survey)
    survey.screenshot(path=str(screenshot_dir / "survey-new-question-360-sv.png"), full_page=True)
    survey.goto(f"{live_server.url}/s/{link.token}/?lang=fi")
    expect(survey.get_by_role("group", name=FI)).to_be_visible()
    customer.close()


def test_a_richer_question_taken_into_use_shows_on_the_managers_checklist(
    org, live_server, browser, screenshot_dir
):
    context = browser.new_context(viewport=PHONE, locale="fi-FI")
    page = context.new_page()
    log_in(page, live_server, "leader")
    page.goto(f"{live_server.url}/questions/")
    greeting = page.locator('[data-code="OBS10"]')
    expect(greeting).to_contain_text("Tervehtikö myyjä jokaista asiakasta?")
    greeting.get_by_test_id("activate-question").click()
    expect(page.get_by_role("status")).to_contain_text("Otettu käyttöön")
    context.close()

    manager = browser.new_context(viewport=PHONE, locale="fi-FI")
    page = manager.new_page()
    log_in(page, live_server, "manager_a")
    page.goto(f"{live_server.url}/observations/new/")
    expect(page.get_by_test_id("scale-OBS10")).to_be_visible()
    expect(page.get_by_test_id("scale-OBS10")).to_contain_text("kyllä")
    assert fits(page)
    page.screenshot(path=str(screenshot_dir / "checklist-greeting-360-fi.png"), full_page=True)
    manager.close()
