"""A manager on a 360-px phone starts a checklist from a template, answers its questions,
attaches a photo from the phone and submits; the photo shows beside the answer, served only
through the app, stripped of its location."""

import io

import pytest
from playwright.sync_api import expect

from asiakaskunto.models import Question
from observations.models import Checklist, ChecklistTemplate, ChecklistTemplateQuestion
from photos.models import EvidencePhoto
from tests.observations.factories import ensure_question_bank
from tests.photos.images import photo_bytes

from .journeys import PHONE, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def template(org):
    ensure_question_bank()
    template = ChecklistTemplate.objects.create(
        organisation=org.organisation, name_fi="Tervehdys ja odotus"
    )
    for position, code in enumerate(["OBS2", "OBS1"], start=1):
        ChecklistTemplateQuestion.objects.create(
            template=template,
            question=Question.objects.get(
                organisation=org.organisation, code=code, replaced_by__isnull=True
            ),
            position=position,
        )
    return template


def test_a_manager_fills_a_checklist_from_a_template_with_a_photo_on_a_phone(
    org, template, live_server, page, screenshot_dir
):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "manager_a")
    page.goto(f"{live_server.url}/observations/new/")
    page.get_by_label("Havainnointipohja").select_option(label="Tervehdys ja odotus")
    page.get_by_test_id("use-template").click()
    expect(page.get_by_test_id("scale-OBS2")).to_be_visible()
    expect(page.get_by_test_id("scale-OBS3")).to_have_count(0)  # not in the template
    assert fits(page)

    page.get_by_placeholder("Hae nimellä").fill("aino")
    page.get_by_test_id("scale-OBS2").get_by_text("5", exact=True).click()
    page.get_by_test_id("scale-OBS1").get_by_text("4", exact=True).click()
    photo_input = page.get_by_test_id("photos-OBS2")
    assert photo_input.get_attribute("accept") == "image/*"
    photo_input.set_input_files(
        files=[{"name": "kassa.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes((800, 600))}]
    )
    assert fits(page)
    page.screenshot(path=str(screenshot_dir / "template-photo-checklist-phone.png"), full_page=True)
    page.get_by_test_id("submit").click()

    expect(page.get_by_test_id("status")).to_have_text("Lähetetty")
    expect(page.get_by_test_id("checklist-template")).to_have_text("Tervehdys ja odotus")
    thumbnail = page.get_by_test_id("photo-thumbs").locator("img")
    expect(thumbnail).to_have_count(1)
    expect(thumbnail).to_have_js_property("complete", True)
    assert thumbnail.evaluate("img => img.naturalWidth") == 320  # the thumbnail itself
    assert fits(page)
    page.screenshot(path=str(screenshot_dir / "template-photo-submitted-phone.png"), full_page=True)

    checklist = Checklist.objects.get()
    assert checklist.template == template
    photo = EvidencePhoto.objects.get()
    assert (photo.checklist, photo.question.code) == (checklist, "OBS2")
    # The full photo through the app: a JPEG with no EXIF (no GPS) left in it.
    response = page.request.get(f"{live_server.url}/photos/{photo.pk}/")
    assert response.status == 200 and response.headers["content-type"] == "image/jpeg"
    assert b"Exif" not in response.body()
    from PIL import Image

    assert Image.open(io.BytesIO(response.body())).size == (800, 600)

    # Signed out, the same address leads to the login page, not the photo.
    page.context.clear_cookies()
    response = page.request.get(f"{live_server.url}/photos/{photo.pk}/", max_redirects=0)
    assert response.status == 302 and "/login/" in response.headers["location"]


def test_a_shopper_attaches_a_photo_on_a_phone_and_the_manager_sees_it(
    org, live_server, page, screenshot_dir
):
    from observations.models import MysteryTest
    from tests.observations.factories import MysteryPlanFactory

    ensure_question_bank()
    plan = MysteryPlanFactory(salesperson=org.seller_a)
    page.set_viewport_size(PHONE)
    page.set_extra_http_headers({"Accept-Language": "fi-FI,fi;q=0.9"})
    page.goto(f"{live_server.url}/m/{plan.token}/")
    for code, value in {"MYS1": "4", "MYS2": "2", "MYS3": "5"}.items():
        page.get_by_test_id(f"scale-{code}").get_by_text(value, exact=True).click()
    page.get_by_test_id("photos-MYS2").set_input_files(
        files=[{"name": "hylly.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes((640, 480))}]
    )
    assert fits(page)
    page.get_by_test_id("submit-test").click()
    expect(page.get_by_test_id("thanks")).to_be_visible()
    photo = EvidencePhoto.objects.get()
    assert photo.mystery_test == MysteryTest.objects.get() and photo.question.code == "MYS2"

    page.set_extra_http_headers({})
    log_in(page, live_server, "manager_a")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    thumbnail = page.get_by_test_id("photo-thumbs").locator("img")
    expect(thumbnail).to_have_count(1)
    expect(thumbnail).to_have_js_property("complete", True)
    assert thumbnail.evaluate("img => img.naturalWidth") > 0
    assert fits(page)
    page.screenshot(path=str(screenshot_dir / "mystery-photo-plan-phone.png"), full_page=True)
