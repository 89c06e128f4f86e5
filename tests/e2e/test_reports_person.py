"""A salesperson logs in and opens their own page from the menu: the radar and the trend are
drawn, the level and the customers' why texts are there — on a desktop and on a phone. A
manager downloads their team's answers from the exports page."""

import csv
import io

import pytest
from django.utils import timezone

from tests.reports.test_person_page import give_evidence

from .journeys import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def evidence(org):
    now = timezone.now()
    give_evidence(
        org.seller_a,
        customer=(4, 2, 6),
        surveys=6,
        observation=(4, 5, 4),
        now=now,
        why={"CUS2": "Jonottaminen kesti liian kauan", "CUS3": "Ihan ok palvelu"},
    )


def test_a_salesperson_opens_their_own_page_and_sees_the_radar(
    org, live_server, page, screenshot_dir
):
    evidence(org)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "seller_a")
    page.get_by_test_id("nav-my-page").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("person-name").inner_text() == "Aino Seller"
    radar = page.get_by_test_id("chart-person-radar")
    radar.locator("svg.main-svg").first.wait_for()
    page.get_by_test_id("chart-person-trend").locator("svg.main-svg").first.wait_for()
    assert page.get_by_test_id("level-badge").inner_text() in {
        "KEHITETTÄVÄÄ",
        "HYVÄ",
        "ERINOMAINEN",
        "IHAN PARAS",
    }
    assert page.get_by_text("“Jonottaminen kesti liian kauan”").first.is_visible()
    page.screenshot(path=str(screenshot_dir / "person-page-desktop.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.get_by_test_id("chart-person-radar").locator("svg.main-svg").first.wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "nothing wider than the phone's screen"
    page.screenshot(path=str(screenshot_dir / "person-page-phone.png"), full_page=True)


def test_a_salesperson_without_answers_sees_the_empty_states(org, live_server, page):
    log_in(page, live_server, "seller_a")
    page.get_by_test_id("nav-my-page").click()
    assert page.get_by_test_id("empty-person-radar").is_visible()
    assert page.get_by_test_id("recent-empty").is_visible()
    assert page.locator("svg.main-svg").count() == 0


def test_a_manager_downloads_the_teams_answers_as_csv(org, live_server, page, screenshot_dir):
    evidence(org)
    give_evidence(org.seller_b)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "manager_a")
    page.get_by_test_id("nav-exports").click()
    page.wait_for_load_state()
    page.screenshot(path=str(screenshot_dir / "exports-page.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_test_id("download-answers-csv").click()
    download = info.value
    assert download.suggested_filename.startswith("asiakaskunto-answers-")
    text = open(download.path(), encoding="utf-8-sig").read()
    rows = list(csv.reader(io.StringIO(text)))
    assert {row[1] for row in rows[1:]} == {"Team A"}
    assert len(rows) == 1 + 6 * 3 + 3


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _in_view(locator, width=360) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def test_the_person_page_and_the_history_fit_a_360_px_phone(
    org, live_server, browser, screenshot_dir
):
    """The latest answers keep "Vastaus" and "Miksi" on the screen; the history names its
    questions; nothing scrolls sideways."""
    from tests.factories import Method, submit

    evidence(org)
    submit(org.seller_a, Method.MYSTERY_SHOP, {"MYS1": 2, "MYS2": 3, "MYS3": 2})
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fi-FI")
    page = context.new_page()
    log_in(page, live_server, "manager_a")
    page.goto(f"{live_server.url}/reports/people/{org.seller_a.pk}/")
    page.get_by_test_id("chart-person-radar").locator("svg.main-svg").first.wait_for()
    page.screenshot(path=str(screenshot_dir / "person-page-360-fi.png"), full_page=True)
    assert _fits(page)
    recent = page.get_by_test_id("recent-answers")
    assert _in_view(recent.get_by_text("Jonottaminen kesti liian kauan").first)
    assert _in_view(recent.locator("td[data-label='Vastaus']").first)
    assert "MYS1" not in page.inner_text("main")
    page.goto(f"{live_server.url}/observations/salespeople/{org.seller_a.pk}/")
    page.screenshot(path=str(screenshot_dir / "history-360-fi.png"), full_page=True)
    assert _fits(page)
    assert "OBS1" not in page.inner_text("main")
    context.close()
