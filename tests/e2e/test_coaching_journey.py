"""On a 360-px phone a manager opens a coaching plan from a salesperson's development targets and
logs a session; the salesperson logs in, sees the plan and the session, and acknowledges it.
Then leadership compares the seasons."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coaching.models import CoachingPlan, CoachingSession, Season
from tests.coaching.helpers import weak_evidence

from .journeys import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Taller than journeys.PHONE (360 x 740): this journey has always run at 360 x 780.
PHONE = {"width": 360, "height": 780}


def log_out(page):
    page.context.clear_cookies()


def fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def test_from_targets_to_a_plan_a_session_and_an_acknowledgement(
    org, live_server, page, screenshot_dir
):
    weak_evidence(org.seller_a)
    today = timezone.localdate()
    Season.objects.create(
        organisation=org.organisation, name="Talvi", start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=60),
    )  # fmt: skip
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "manager_a")
    page.goto(f"{live_server.url}/reports/people/{org.seller_a.pk}/")
    page.get_by_test_id("start-coaching-plan").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("proposal-SKILLS").is_visible()
    assert page.get_by_text("Jonotin").first.is_visible()
    fits(page)
    page.screenshot(path=str(screenshot_dir / "coaching-plan-new-phone.png"), full_page=True)
    page.get_by_test_id("proposal-SKILLS").get_by_label("Sovitut toimet").fill(
        "Kysy asiakkaan tarve ennen tuotetta."
    )
    page.get_by_test_id("start-plan").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("plan-title").is_visible()
    assert page.get_by_test_id("focus").count() == 1
    plan = CoachingPlan.objects.get(salesperson=org.seller_a)
    assert plan.goals.get(area="SKILLS").due_date == today + timedelta(days=60)

    page.get_by_test_id("log-session").click()
    page.wait_for_load_state()
    page.get_by_label("Muistiinpanot").fill("Harjoittelimme tervehtimistä.")
    page.get_by_label("Seuraava askel").fill("Havainnointi ensi viikolla.")
    page.locator("input[name=goals]").first.check()
    fits(page)
    page.get_by_test_id("save-session").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("session").count() == 1
    fits(page)
    page.screenshot(path=str(screenshot_dir / "coaching-plan-manager-phone.png"), full_page=True)
    assert CoachingSession.objects.filter(plan=plan).count() == 1

    log_out(page)
    log_in(page, live_server, "seller_a")
    page.get_by_test_id("todo-ACKNOWLEDGE_PLAN").get_by_role("link").click()
    page.wait_for_load_state()
    assert page.get_by_text("Harjoittelimme tervehtimistä.").is_visible()
    page.get_by_test_id("self-assess").click()
    page.wait_for_load_state()
    fits(page)
    page.locator("input[name=q_CUS1][value='4']").check()
    page.get_by_test_id("save-self").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("self-vs-measured").locator("table").is_visible()
    page.get_by_test_id("acknowledge").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("acknowledged").is_visible()
    fits(page)
    page.screenshot(
        path=str(screenshot_dir / "coaching-plan-salesperson-phone.png"), full_page=True
    )
    plan.refresh_from_db()
    assert plan.acknowledged_at is not None

    log_out(page)
    log_in(page, live_server, "leader")
    page.goto(f"{live_server.url}/reports/")
    page.get_by_test_id("seasons-link").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Talvi").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("season-title").inner_text() == "Talvi"
    fits(page)
    page.screenshot(path=str(screenshot_dir / "coaching-season-phone.png"), full_page=True)
