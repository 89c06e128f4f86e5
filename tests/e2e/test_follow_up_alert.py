"""A customer's unhappy answer reaches the manager's mailbox at once (the test mail backend
catches it) with the questions in words; the manager opens the link on a 360 px phone, calls
the customer, writes notes and resolves it, and the follow-up page shows the history."""

from urllib.parse import urlsplit

import pytest
from django.core import mail

from surveys.models import FollowUp
from tests.factories import PASSWORD
from tests.surveys.factories import SurveyLinkFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_unhappy_answer_emails_the_manager_who_handles_it_on_a_phone(
    org, live_server, browser, screenshot_dir
):
    org.manager_a.email = "manager.a@example.com"
    org.manager_a.save()
    link = SurveyLinkFactory(salesperson=org.seller_a)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fi-FI")
    page = context.new_page()

    page.goto(f"{live_server.url}/s/{link.token}/?lang=fi")
    page.get_by_role("group", name="Saitko").get_by_label("2", exact=True).check()
    page.get_by_label("Miksi?").first.fill("Kokoa ei ollut, eikä muuta tarjottu.")
    page.get_by_role("group", name="Aiotko").get_by_label("3", exact=True).check()
    page.get_by_role("group", name="Suosittelisitko").get_by_label("4", exact=True).check()
    page.get_by_label("Nimesi, puhelinnumerosi tai sähköpostisi").fill("Matti, 040 123 4567")
    page.get_by_label("Hyväksyn").check()
    page.get_by_role("button", name="Lähetä vastaukset").click()
    assert page.get_by_role("heading", name="Kiitos!").is_visible()

    assert [message.to for message in mail.outbox] == [["manager.a@example.com"]]
    message = mail.outbox[0]
    assert "Saitko sen mitä tulit hakemaan?: 2 / 5" in message.body
    assert "Suosittelisitko tuotteitamme ja palveluitamme kavereillesi?: 4 / 10" in message.body
    assert "Kokoa ei ollut, eikä muuta tarjottu." in message.body
    assert "Matti, 040 123 4567" in message.body
    assert "CUS1" not in message.body and "CUS3" not in message.body
    follow_up = FollowUp.objects.get()
    url = next(
        word for word in message.body.split() if f"/surveys/follow-ups/{follow_up.pk}/" in word
    )

    page.goto(f"{live_server.url}/login/?next={urlsplit(url).path}")
    page.get_by_label("Käyttäjätunnus").fill("manager_a")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    assert page.get_by_text("Kokoa ei ollut, eikä muuta tarjottu.").is_visible()
    call = page.get_by_test_id("contact-tel")
    assert call.get_attribute("href") == "tel:0401234567"

    page.get_by_label("Tila").select_option("CONTACTED")
    page.get_by_label("Muistiinpano").fill("Soitin, asiakas haluaa vaihtaa koon.")
    page.get_by_role("button", name="Tallenna").click()
    assert page.get_by_text("Seuranta tallennettu.").is_visible()
    page.get_by_label("Tila").select_option("RESOLVED")
    page.get_by_label("Muistiinpano").fill("Koko vaihdettu, asiakas tyytyväinen.")
    page.get_by_role("button", name="Tallenna").click()
    history = page.get_by_test_id("follow-up-history")
    text = history.inner_text()
    assert text.index("Soitin, asiakas") < text.index("Koko vaihdettu")
    assert "Tila: avoin → yhteydessä" in text and "Tila: yhteydessä → ratkaistu" in text
    assert page.get_by_test_id("first-contact").inner_text() != "ei vielä"
    assert _fits(page)
    page.screenshot(path=str(screenshot_dir / "follow-up-history-360-fi.png"), full_page=True)
    context.close()
    follow_up.refresh_from_db()
    assert follow_up.status == "RESOLVED" and follow_up.notes.count() == 2


def test_a_manager_switches_the_digest_off_on_a_phone(org, live_server, browser, screenshot_dir):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fi-FI")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Käyttäjätunnus").fill("manager_a")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.get_by_role("button", name="Valikko").click()
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("menu-email-settings").click()
    assert page.get_by_role("heading", name="Sähköpostiasetukset").is_visible()
    page.get_by_label("Viikkokooste").uncheck()
    page.get_by_label("Sähköpostien kieli").select_option("sv")
    page.get_by_role("button", name="Tallenna").click()
    assert page.get_by_text("Sähköpostiasetukset tallennettu.").is_visible()
    assert _fits(page)
    page.screenshot(path=str(screenshot_dir / "email-settings-360-fi.png"), full_page=True)
    context.close()
    preference = org.manager_a.email_preference
    preference.refresh_from_db()
    assert not preference.weekly_digest and preference.follow_up_alerts
    assert preference.language == "sv"


def test_a_salesperson_reads_customers_thanks_on_a_phone(org, live_server, browser, screenshot_dir):
    from asiakaskunto.models import Method
    from tests.factories import submit

    submit(
        org.seller_a,
        Method.CUSTOMER,
        {"CUS1": 5, "CUS3": 10},
        why={"CUS1": "Löysin heti oikean koon.", "CUS3": "Aino jaksoi neuvoa kärsivällisesti."},
    )
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fi-FI")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Käyttäjätunnus").fill("seller_a")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    thanks = page.get_by_test_id("customer-thanks")
    assert "Aino jaksoi neuvoa kärsivällisesti." in thanks.inner_text()
    assert "Suosittelisitko" in thanks.inner_text()
    assert _fits(page)
    thanks.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "salesperson-thanks-360-fi.png"), full_page=True)
    context.close()
