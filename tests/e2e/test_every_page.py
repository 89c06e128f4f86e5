"""Every page each role can reach, on a 360 px phone and a 1366 px laptop, over the demo
organisation: the page fits the width, the console stays free of errors (CSP reports
included), no question code (OBS1, CUS3, …) shows where a person reads, and axe-core finds no
serious or critical WCAG 2.1 AA violation. A full-page screenshot of each is kept in
artifacts/screenshots/pages/.

To add a page, add one line to PAGES: who opens it, its URL name and the demo objects its URL
takes (names from ``demo_objects``), e.g. ``Page("manager", "coaching:plan", "salesperson")``.
"""

from __future__ import annotations

import re
from pathlib import Path

import axe_playwright_python
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = ((360, 740), (1366, 768))
LOGINS = {"leadership": "johto", "manager": "esimies1", "salesperson": "myyja1"}
PASSWORD = "asiakaskunto-demo"
QUESTION_CODE = re.compile(r"\b(OBS|MYS|CUS)\d\b")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
CHECKS = ("width", "console", "codes", "axe")
SHOT_HEIGHT = 6000


class Page:
    """A page to visit: ``role`` (a key of LOGINS, or "public" without an account), the URL
    name, the names of the demo objects that fill its URL (keys of ``demo_objects``), and the
    checks it is exempt from, each with its reason in the line that lists it."""

    def __init__(self, role: str, url_name: str, *args: str, exempt: tuple[str, ...] = ()):
        assert set(exempt) <= set(CHECKS), exempt
        self.role, self.url_name, self.args, self.exempt = role, url_name, args, set(exempt)

    @property
    def slug(self) -> str:
        return f"{self.role}-{self.url_name.replace(':', '-')}"


STAFF_PAGES = [
    ("home",),
    ("reports:dashboard",),
    ("reports:team_dashboard", "team"),
    ("reports:person", "salesperson"),
    ("reports:exports",),
    ("observations:checklist_list",),
    ("observations:checklist_create",),
    ("observations:checklist_detail", "checklist"),
    ("observations:checklist_edit", "checklist"),
    ("observations:salesperson_history", "salesperson"),
    ("observations:plan_list",),
    ("observations:plan_create",),
    ("observations:plan_detail", "plan"),
    ("observations:plan_detail", "waiting_plan"),
    ("observations:review_list",),
    ("surveys:links",),
    ("surveys:link_print", "link"),
    ("surveys:invitations",),
    ("surveys:follow_ups",),
    ("surveys:follow_up", "follow_up"),
    ("interviews:index",),
    ("interviews:new", "salesperson"),
    ("interviews:call", "call_invitation"),
    ("sampling:index",),
    ("sampling:batch", "sample_batch"),
    ("team_list",),
    ("team_detail", "team"),
    ("email_settings",),
    ("coaching:plans",),
]

PAGES = [
    Page("public", "login"),
    Page("public", "surveys_public:link", "survey_token"),
    Page("public", "surveys_public:invitation", "invitation_token"),
    Page("public", "surveys_public:thanks"),
    Page("public", "observations_public:mystery_form", "mystery_token"),
    Page("public", "observations_public:thanks"),
    *(Page("leadership", *page) for page in STAFF_PAGES),
    Page("leadership", "reports:settings"),
    Page("leadership", "observations:programme"),
    Page("leadership", "observations:scenario_create"),
    Page("leadership", "observations:scenario_edit", "scenario"),
    Page("leadership", "observations:schedule_create"),
    Page("leadership", "observations:schedule_edit", "schedule"),
    Page("leadership", "coaching:seasons"),
    Page("leadership", "privacy:index"),
    Page("leadership", "privacy:person_erase", "salesperson"),
    Page("leadership", "privacy:customers"),
    Page("leadership", "privacy:retention"),
    Page("leadership", "observations:template_list"),
    Page("leadership", "observations:template_create"),
    Page("leadership", "observations:template_edit", "checklist_template"),
    Page("leadership", "question_bank"),
    Page("leadership", "question_create"),
    Page("leadership", "question_edit", "question"),
    *(Page("manager", *page) for page in STAFF_PAGES if page[0] != "reports:dashboard"),
    Page("manager", "coaching:plan_new", "salesperson"),
    Page("manager", "coaching:plan", "coaching_plan"),
    Page("manager", "coaching:goal_add", "coaching_plan"),
    Page("manager", "coaching:session_new", "coaching_plan"),
    Page("leadership", "coaching:plan", "coaching_plan"),
    Page("leadership", "coaching:season", "season"),
    Page("salesperson", "coaching:plan", "coaching_plan"),
    Page("salesperson", "coaching:self_assessment", "coaching_plan"),
    Page("salesperson", "home"),
    Page("salesperson", "reports:person", "salesperson"),
    Page("salesperson", "email_settings"),
]


def demo_objects() -> dict[str, object]:
    """The demo objects the pages' URLs take: all of the manager's (esimies1's) team, so that
    every role in PAGES may open them; the salesperson is myyja1's own."""
    from asiakaskunto.models import Question, Salesperson
    from coaching.models import CoachingPlan, Season
    from observations.models import (
        Checklist,
        ChecklistTemplate,
        MysteryPlan,
        MysteryScenario,
        MysterySchedule,
        MysteryTest,
        PlanStatus,
    )
    from sampling.models import SampleBatch
    from surveys.models import FollowUp, Invitation, SurveyLink

    seller = Salesperson.objects.select_related("team").get(user__username=LOGINS["salesperson"])
    team = seller.team
    plans = MysteryPlan.objects.filter(team=team)
    return {
        "team": team.pk,
        "coaching_plan": CoachingPlan.objects.filter(salesperson=seller).order_by("-id").first().pk,
        "season": Season.objects.order_by("-start_date").first().pk,
        "salesperson": seller.pk,
        "checklist": Checklist.objects.filter(salesperson__team=team, submitted_at__isnull=False)
        .order_by("-id")
        .values_list("pk", flat=True)
        .first(),
        "plan": plans.order_by("-id").values_list("pk", flat=True).first(),
        "waiting_plan": MysteryTest.objects.filter(plan__team=team)
        .waiting_for_review()
        .values_list("plan_id", flat=True)
        .first(),
        "scenario": MysteryScenario.objects.order_by("id").first().pk,
        "schedule": MysterySchedule.objects.filter(team=team).order_by("id").first().pk,
        "checklist_template": ChecklistTemplate.objects.order_by("id").first().pk,
        # An answered question: its edit page shows the versioning note.
        "question": Question.objects.filter(answers__isnull=False, replaced_by__isnull=True)
        .order_by("position", "id")
        .values_list("pk", flat=True)
        .first(),
        "link": SurveyLink.objects.filter(team=team, active=True).order_by("id").first().pk,
        "follow_up": FollowUp.objects.filter(team=team).order_by("-id").first().pk,
        "sample_batch": SampleBatch.objects.filter(invitations__team=team).first().pk,
        "call_invitation": Invitation.objects.filter(team=team, sample_batch__isnull=False)
        .open_at(timezone.now())
        .exclude(phone="")
        .order_by("id")
        .first()
        .pk,
        "survey_token": SurveyLink.objects.filter(team=team, active=True)
        .order_by("id")
        .first()
        .token,
        "invitation_token": Invitation.objects.filter(team=team)
        .open_at(timezone.now())
        .order_by("id")
        .first()
        .token,
        "mystery_token": plans.with_status(PlanStatus.PLANNED, now=timezone.now())
        .order_by("id")
        .first()
        .token,
    }


def log_in(context, base_url, role):
    page = context.new_page()
    page.goto(f"{base_url}{reverse('login')}")
    page.locator("#id_username").fill(LOGINS[role])
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(lambda url: "/login/" not in url)
    return page


def findings_on(page, check_page: Page, width: int, errors: list[str]) -> list[str]:
    """What is wrong with the loaded page: each finding a line naming the check."""
    found = []
    exempt = check_page.exempt
    if "width" not in exempt:
        document = page.evaluate("document.documentElement.scrollWidth")
        viewport = page.evaluate("window.innerWidth")
        if document > viewport:
            wide = page.evaluate(
                """(limit) => [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > limit + 1
                        && el.getClientRects().length)
                .slice(0, 3).map(el => el.tagName.toLowerCase()
                        + (el.className && typeof el.className === 'string'
                           ? '.' + el.className.trim().split(/\\s+/).join('.') : ''))""",
                viewport,
            )
            found.append(f"width: the document is {document} px wide, wider than {width}: {wide}")
    if "console" not in exempt:
        found += [f"console: {error}" for error in errors]
    if "codes" not in exempt:
        text = page.evaluate("document.body.innerText")
        codes = sorted({m.group(0) for m in QUESTION_CODE.finditer(text)})
        if codes:
            line = next(line for line in text.splitlines() if QUESTION_CODE.search(line))
            found.append(f"codes: {', '.join(codes)} in the text, e.g. {line.strip()[:100]!r}")
    if "axe" not in exempt:
        page.evaluate(AXE_SCRIPT)
        result = page.evaluate(
            "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags},"
            " resultTypes: ['violations']})",
            AXE_TAGS,
        )
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"][:3]]
                found.append(
                    f"axe: {violation['id']} ({violation['impact']}, "
                    f"{len(violation['nodes'])} elements, e.g. {targets})"
                )
    return found


def screenshot(page, path: Path, width: int) -> None:
    """The page from its top, at most SHOT_HEIGHT px of it (a list of hundreds of rows on a
    phone is tens of thousands of pixels, slow to encode and no easier to look at)."""
    height = min(page.evaluate("document.documentElement.scrollHeight"), SHOT_HEIGHT)
    clip = {"x": 0, "y": 0, "width": width, "height": height}
    page.screenshot(path=str(path), full_page=True, clip=clip, quality=70)


def test_every_page_fits_both_widths_without_errors_codes_or_accessibility_faults(
    live_server, browser, screenshot_dir
):
    call_command("seed_demo", verbosity=0)
    objects = demo_objects()
    shots = screenshot_dir / "pages"
    shots.mkdir(parents=True, exist_ok=True)
    findings: list[str] = []
    errors: list[str] = []  # the console's errors on the page being checked
    for role in ("public", *LOGINS):
        pages = [p for p in PAGES if p.role == role]
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="fi-FI")
        if role != "public":
            log_in(context, live_server.url, role).close()
        page = context.new_page()
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        for width, height in WIDTHS:
            page.set_viewport_size({"width": width, "height": height})
            for check_page in pages:
                url = reverse(check_page.url_name, args=[objects[a] for a in check_page.args])
                errors.clear()
                # "load": the charts are drawn by then (charts.js draws on DOMContentLoaded).
                response = page.goto(f"{live_server.url}{url}", wait_until="load")
                where = f"{check_page.slug} ({url}) at {width} px"
                if response is None or response.status != 200:
                    status = response.status if response else "no response"
                    findings.append(f"{where}: status {status}")
                    continue
                screenshot(page, shots / f"{check_page.slug}-{width}.jpeg", width)
                findings += [
                    f"{where}: {finding}"
                    for finding in findings_on(page, check_page, width, list(errors))
                ]
        context.close()
    (shots / "findings.txt").write_text("\n".join(findings) + "\n")
    assert not findings, "\n".join(findings)


def test_the_checks_find_each_kind_of_fault(page):
    """The checks above can fail: a page too wide for a phone, with a console error, a question
    code in its text and grey-on-grey text gives one finding of each kind."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.set_viewport_size({"width": 360, "height": 740})
    page.set_content(
        '<html lang="fi"><body><main><h1>Sivu</h1>'
        '<p style="width: 500px">Vastaus kysymykseen CUS3 oli 6.</p>'
        '<p style="color: #aaa; background: #bbb">Huono kontrasti</p></main>'
        '<script>console.error("broken")</script></body></html>'
    )
    found = findings_on(page, Page("public", "login"), 360, list(errors))
    kinds = sorted({finding.split(":")[0] for finding in found})
    assert kinds == ["axe", "codes", "console", "width"], found
    assert any("color-contrast" in finding for finding in found)
    assert not findings_on(page, Page("public", "login", exempt=CHECKS), 360, list(errors))
