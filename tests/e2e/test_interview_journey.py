"""An interviewer (the team's manager) records a customer's answers on a 360-px phone: the
survey's questions with their "why?" prompts, a refused half-filled form, then the saved
interview, marked as such on the salesperson's page."""

import pytest
from playwright.sync_api import expect

from asiakaskunto.models import Method, Submission
from surveys.models import SurveyResponse
from tests.observations.factories import ensure_question_bank

from .journeys import PHONE, log_in, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def question_bank():
    ensure_question_bank()


def choose(page, number, value):
    page.get_by_test_id(f"scale-{number}").get_by_text(value, exact=True).click()


def test_an_interviewer_records_a_customers_answers_on_a_phone(
    org, live_server, page, screenshot_dir
):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "manager_a")
    page.goto(f"{live_server.url}/interviews/")
    assert no_horizontal_scroll(page)
    page.get_by_label("Kenen asiakas?").select_option(label="Aino Seller")
    page.get_by_test_id("start-interview").click()
    expect(page.get_by_test_id("interview-title")).to_contain_text("Aino Seller")
    expect(page.get_by_test_id("interview-instructions")).to_contain_text("miksi?")

    # Half an interview, no consent: refused, nothing saved, the place of each problem shown.
    choose(page, 1, "4")
    page.get_by_test_id("save-interview").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("Mitään ei tallennettu")
    expect(page.get_by_test_id("error-2")).to_be_visible()
    expect(page.get_by_test_id("error-consent")).to_be_visible()
    assert not Submission.objects.exists()
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / "interview-phone-error.png"), full_page=True)

    choose(page, 2, "5")
    choose(page, 3, "9")
    choose(page, 4, "5")
    choose(page, 5, "4")
    whys = page.get_by_label("Miksi?")
    whys.nth(0).fill("Myyjä löysi oikean koon heti.")
    whys.nth(2).fill("Asiantunteva ja ystävällinen.")
    page.get_by_label("Asiakas suostui").check()
    box = page.get_by_test_id("scale-3").locator("label").first.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 24  # eleven options fit a row or two
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / "interview-phone-filled.png"), full_page=True)
    page.get_by_test_id("save-interview").click()

    expect(page.get_by_role("status")).to_contain_text("Haastattelu tallennettu")
    expect(page.get_by_test_id("interviews")).to_contain_text("Aino Seller")
    page.screenshot(path=str(screenshot_dir / "interview-phone-saved.png"), full_page=True)
    submission = Submission.objects.get()
    assert (submission.method, submission.salesperson) == (Method.CUSTOMER, org.seller_a)
    response = SurveyResponse.objects.get()
    assert response.interviewed and response.interviewer.username == "manager_a"
    answers = {a.question.code: (a.value, a.why) for a in submission.answers.all()}
    assert answers["CUS1"] == (4, "Myyjä löysi oikean koon heti.")
    assert answers["CUS3"] == (9, "Asiantunteva ja ystävällinen.")

    page.goto(f"{live_server.url}/reports/people/{org.seller_a.pk}/")
    expect(page.get_by_test_id("interviewed").first).to_be_visible()
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / "interview-person-page.png"), full_page=True)
