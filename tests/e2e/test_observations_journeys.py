"""A manager fills an observation checklist on a phone and submits it; a mystery shopper opens
their link and submits the test."""

import pytest
from playwright.sync_api import expect

from asiakaskunto.models import Method, Submission
from observations.models import Checklist, ChecklistStatus, MysteryTest
from tests.observations.factories import MysteryPlanFactory, ensure_question_bank

from .journeys import PHONE, log_in, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def question_bank():
    ensure_question_bank()


def test_a_manager_fills_a_checklist_on_a_phone_and_submits_it(
    org, live_server, page, screenshot_dir
):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "manager_a")
    page.goto(f"{live_server.url}/observations/new/")
    assert no_horizontal_scroll(page)
    page.get_by_placeholder("Hae nimellä").fill("aino")
    expect(page.locator("#id_salesperson")).to_have_value(str(org.seller_a.pk))
    page.get_by_label("Paikka tai tilanne").fill("Kassa, lauantai")

    # Submitting with a missing answer shows where, and nothing is saved.
    page.get_by_test_id("scale-OBS1").get_by_text("4", exact=True).click()
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("error-OBS2")).to_be_visible()
    assert Checklist.objects.count() == 0
    page.screenshot(path=str(screenshot_dir / "observations-checklist-phone-error.png"))

    page.get_by_test_id("scale-OBS2").get_by_text("5", exact=True).click()
    page.get_by_test_id("scale-OBS3").get_by_text("3", exact=True).click()
    page.get_by_label("Huomio").first.fill("Hymyili jokaiselle")
    box = page.get_by_test_id("scale-OBS2").locator("label").first.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # a thumb can hit it
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / "observations-checklist-phone.png"), full_page=True)
    page.get_by_test_id("submit").click()

    expect(page.get_by_test_id("status")).to_have_text("Lähetetty")
    assert no_horizontal_scroll(page)
    page.screenshot(
        path=str(screenshot_dir / "observations-checklist-submitted.png"), full_page=True
    )
    checklist = Checklist.objects.get()
    assert checklist.status == ChecklistStatus.SUBMITTED
    assert checklist.location == "Kassa, lauantai"
    answers = {a.question.code: (a.value, a.why) for a in checklist.submission.answers.all()}
    assert answers == {"OBS1": (4, "Hymyili jokaiselle"), "OBS2": (5, ""), "OBS3": (3, "")}


def test_a_mystery_shopper_opens_the_link_and_submits_the_test(
    org, live_server, page, screenshot_dir
):
    plan = MysteryPlanFactory(
        salesperson=org.seller_a, instructions="Kysy kahvinkeittimen takuusta."
    )
    page.set_viewport_size(PHONE)
    page.set_extra_http_headers({"Accept-Language": "fi-FI,fi;q=0.9"})  # a Finnish phone
    url = f"{live_server.url}/m/{plan.token}/"
    page.goto(url)
    expect(page.get_by_text("Kysy kahvinkeittimen takuusta.")).to_be_visible()
    assert no_horizontal_scroll(page)
    for code, value in {"MYS1": "4", "MYS2": "2", "MYS3": "5"}.items():
        page.get_by_test_id(f"scale-{code}").get_by_text(value, exact=True).click()
    page.get_by_label("Miksi?").nth(1).fill("Ei tarjonnut vaihtoehtoja")
    page.get_by_label("Kuvaile käyntiä omin sanoin").fill("Kävin lauantaina.")
    page.screenshot(path=str(screenshot_dir / "observations-mystery-form.png"), full_page=True)
    page.get_by_test_id("submit-test").click()
    expect(page.get_by_test_id("thanks")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "observations-mystery-thanks.png"))

    test = MysteryTest.objects.get()
    assert test.submission.method == Method.MYSTERY_SHOP
    assert test.submission.answers.get(question__code="MYS2").why == "Ei tarjonnut vaihtoehtoja"

    page.goto(url)  # the link is used now
    expect(page.get_by_test_id("link_used")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "observations-mystery-used.png"))
    assert Submission.objects.count() == 1


def test_a_manager_plans_a_visit_and_copies_the_link(org, live_server, page, screenshot_dir):
    log_in(page, live_server, "manager_a")
    page.goto(f"{live_server.url}/observations/mystery/new/")
    page.get_by_label("Myyjä").select_option(str(org.seller_a.pk))
    page.get_by_label("Haamuasiakkaan nimi").fill("Sari Shopper")
    page.get_by_test_id("save-plan").click()
    link = page.get_by_test_id("plan-link")
    expect(link).to_be_visible()
    assert "/m/" in link.input_value()
    page.screenshot(path=str(screenshot_dir / "observations-plan-detail.png"), full_page=True)


def test_the_checklist_keeps_the_phone_screen_for_the_questions(
    org, live_server, page, screenshot_dir
):
    """The sticky bar is one compact row; the notes are there without a tap; a failed submit's
    banner names the missing questions and its first link lands on the first of them."""
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "manager_a")
    page.goto(f"{live_server.url}/observations/new/")
    bar = page.get_by_test_id("actions").bounding_box()
    assert bar["height"] <= 80, bar  # of 740 px
    assert page.get_by_label("Huomio").first.is_visible()
    page.get_by_placeholder("Hae nimellä").fill("aino")
    page.get_by_test_id("scale-OBS2").get_by_text("4", exact=True).click()
    page.get_by_test_id("submit").click()
    missing = page.get_by_test_id("missing-questions").get_by_role("link")
    expect(missing).to_have_text(
        ["Irtoaako asiakashymy helposti?", "Onko myyjä aidosti valmiina auttamaan ja palvelemaan?"]
    )
    page.screenshot(path=str(screenshot_dir / "observations-checklist-missing-360.png"))
    missing.first.click()
    heading = page.get_by_text("Irtoaako asiakashymy helposti?").last
    expect(heading).to_be_focused()
    # Bootstrap scrolls smoothly: wait until the heading rests above the sticky bar.
    page.wait_for_function(
        "([id, bottom]) => { const r = document.getElementById(id).getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= bottom; }",
        arg=[heading.get_attribute("id"), PHONE["height"] - bar["height"]],
    )
    page.screenshot(path=str(screenshot_dir / "observations-checklist-first-missing-360.png"))
    assert no_horizontal_scroll(page)
    assert Checklist.objects.count() == 0
