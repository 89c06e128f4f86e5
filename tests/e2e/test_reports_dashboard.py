"""Leadership opens the dashboard, sees the plotly charts drawn and narrows them to one team;
a manager reads their team's dashboard on a phone."""

import pytest

from tests.reports.dashboard_data import fill

from .journeys import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHARTS = ("levels", "heatmap", "index", "nps", "targets")


def drawn(page, chart):
    return page.locator(f'[data-testid="chart-chart-{chart}"] svg.main-svg')


def test_leadership_sees_the_charts_and_narrows_them_to_one_team(
    org, live_server, page, screenshot_dir
):
    fill([org.team_a, org.team_b], people_per_team=6, surveys=8)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "leader")
    page.get_by_test_id("nav-dashboard").click()
    assert page.get_by_test_id("dashboard-title").inner_text().startswith("Kojelauta")
    for chart in CHARTS:
        drawn(page, chart).first.wait_for()
    levels = page.get_by_test_id("chart-chart-levels")
    assert "Team A" in levels.inner_text() and "Team B" in levels.inner_text()
    page.screenshot(path=str(screenshot_dir / "reports-dashboard-desktop.png"), full_page=True)

    page.get_by_label("Team B").check()
    page.get_by_test_id("apply-filters").click()
    page.wait_for_url(f"**/reports/?*teams={org.team_b.pk}*")
    for chart in CHARTS:
        drawn(page, chart).first.wait_for()
    levels = page.get_by_test_id("chart-chart-levels")
    assert "Team B" in levels.inner_text() and "Team A" not in levels.inner_text()
    legend = page.get_by_test_id("chart-chart-index").locator(".legendtext").all_text_contents()
    assert legend == ["Team B", "Organisaatio"]
    assert page.get_by_test_id("person-row").count() == 7
    page.screenshot(path=str(screenshot_dir / "reports-dashboard-team-b.png"), full_page=True)


def test_a_manager_reads_the_team_dashboard_on_a_phone(org, live_server, page, screenshot_dir):
    fill([org.team_a], people_per_team=5, people=[org.seller_a, org.colleague_a], surveys=8)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "manager_a")
    page.goto(f"{live_server.url}/reports/")
    page.wait_for_url(f"**/reports/teams/{org.team_a.pk}/")
    assert page.get_by_test_id("dashboard-title").inner_text() == "Team A"
    for chart in ("levels", "areas", "index", "nps", "targets"):
        drawn(page, chart).first.wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width} px)"
    page.screenshot(path=str(screenshot_dir / "reports-team-dashboard-phone.png"), full_page=True)


def test_with_no_answers_the_dashboard_explains_instead_of_drawing_empty_axes(
    org, live_server, page
):
    log_in(page, live_server, "leader")
    page.goto(f"{live_server.url}/reports/")
    for chart in CHARTS:
        assert page.get_by_test_id(f"empty-chart-{chart}").is_visible()
    assert page.locator("svg.main-svg").count() == 0
