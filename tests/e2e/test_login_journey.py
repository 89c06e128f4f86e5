"""Leadership and a manager log in, see their Finnish home pages, and switch to English."""

import pytest

from .journeys import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_manager_sees_the_home_page_in_finnish_and_switches_to_english(
    org, live_server, page, screenshot_dir
):
    log_in(page, live_server, "manager_a")
    assert page.get_by_test_id("home-title").inner_text().startswith("Esimies")
    assert page.get_by_role("link", name="Team A").is_visible()
    page.screenshot(path=str(screenshot_dir / "manager-home-fi.png"), full_page=True)
    page.select_option("#language-select", "en")
    page.get_by_test_id("switch-language").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("home-title").inner_text().startswith("Manager")
    page.get_by_test_id("user-menu").click()
    assert page.get_by_role("button", name="Log out").is_visible()
    page.screenshot(path=str(screenshot_dir / "manager-home-en.png"), full_page=True)


def test_leadership_sees_the_organisation_home_in_finnish(org, live_server, page, screenshot_dir):
    log_in(page, live_server, "leader")
    assert page.get_by_test_id("home-title").inner_text().startswith("Johto")
    assert page.get_by_role("link", name="Team B").is_visible()
    page.screenshot(path=str(screenshot_dir / "leadership-home-fi.png"), full_page=True)
