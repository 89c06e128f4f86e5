"""The mystery-shopping programme in the browser: a shopper on a phone follows a scenario's
instructions and sends the test; with review on it waits; the team's manager, on a 360-px
phone, finds it on the home page's to-do list, tries to reject it without a reason, and
approves it."""

import pytest
from playwright.sync_api import expect

from asiakaskunto.models import Method, Submission
from observations.models import MysteryScenario, MysterySettings, MysteryTest, ReviewStatus
from tests.observations.factories import MysteryPlanFactory, ensure_question_bank

from .journeys import PHONE, log_in, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def question_bank():
    ensure_question_bank()


def test_a_manager_reviews_and_approves_a_test_on_a_phone(org, live_server, page, screenshot_dir):
    from asiakaskunto.models import Question

    MysterySettings.objects.create(organisation=org.organisation, review_required=True)
    scenario = MysteryScenario.objects.create(
        organisation=org.organisation,
        name="Lahja 10-vuotiaalle",
        instructions_fi="Pyydä lahjaa 10-vuotiaalle, budjetti 40 euroa.",
    )
    scenario.questions.set(Question.objects.filter(code__in=["MYS1", "MYS3"]))
    plan = MysteryPlanFactory(salesperson=org.seller_a, scenario=scenario)

    # The shopper: the scenario's instructions and only its two questions.
    page.set_viewport_size(PHONE)
    page.set_extra_http_headers({"Accept-Language": "fi-FI,fi;q=0.9"})
    page.goto(f"{live_server.url}/m/{plan.token}/")
    expect(page.get_by_test_id("instructions")).to_contain_text("Pyydä lahjaa 10-vuotiaalle")
    expect(page.get_by_test_id("scale-MYS2")).to_have_count(0)
    page.get_by_test_id("scale-MYS1").get_by_text("4", exact=True).click()
    page.get_by_test_id("scale-MYS3").get_by_text("5", exact=True).click()
    page.get_by_label("Miksi?").first.fill("Kysyi lapsen harrastuksista")
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / "mystery-scenario-form-360.png"), full_page=True)
    page.get_by_test_id("submit-test").click()
    expect(page.get_by_test_id("thanks")).to_be_visible()
    test = MysteryTest.objects.get()
    assert test.review_status == ReviewStatus.PENDING and not Submission.objects.exists()

    # The manager: home → the waiting test → a rejection without a reason is refused → approve.
    context = page.context
    context.clear_cookies()
    page.set_extra_http_headers({})
    log_in(page, live_server, "manager_a")
    todo = page.get_by_test_id("todo-MYSTERY_REVIEW")
    expect(todo).to_contain_text("Haamuasiakastesti: Aino Seller")
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / "mystery-review-home-360.png"), full_page=True)
    todo.get_by_role("link", name="Tarkasta testi").click()
    expect(page.get_by_test_id("review-status")).to_contain_text("Odottaa tarkastusta")
    expect(page.get_by_test_id("test-answers")).to_contain_text("Kysyi lapsen harrastuksista")
    page.get_by_test_id("reject-test").click()
    expect(page.get_by_test_id("error-reason")).to_have_text("Kerro, miksi hylkäät testin.")
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / "mystery-review-reason-360.png"), full_page=True)
    test.refresh_from_db()
    assert test.review_status == ReviewStatus.PENDING
    page.get_by_test_id("approve-test").click()
    expect(page.get_by_test_id("review-status")).to_contain_text("Hyväksytty")
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / "mystery-review-approved-360.png"), full_page=True)

    test.refresh_from_db()
    assert test.review_status == ReviewStatus.APPROVED
    submission = test.submission
    assert submission.method == Method.MYSTERY_SHOP and submission.salesperson == org.seller_a
    assert sorted(a.question.code for a in submission.answers.all()) == ["MYS1", "MYS3"]
