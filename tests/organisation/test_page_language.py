"""Every staff page, rendered in Finnish, Swedish and English for each role, speaks that
language: no text known to slip through untranslated, counts with their plural forms, each
language named in itself in the menu, dates in the locale's own order."""

import re
from datetime import date
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.utils import formats, timezone, translation

from tests.organisation.test_every_url import ours, staff_routes, url_of  # noqa: F401

pytestmark = pytest.mark.django_db

# Text that must not appear in a language: Finnish left in Swedish or English pages, English
# left in Finnish or Swedish ones, and the Finnish grade names without their meaning in English.
UNTRANSLATED = {
    "fi": [r"- Select an option -", r"\bmonths\b", r"\bALLRA BÄST\b"],
    "sv": [
        r"- Select an option -",
        r"\bkuukautta\b",
        r"\bkuukausi\b",
        r"\bIHAN PARAS\b",
        r"\bKEHITETTÄVÄÄ\b",
        r"\bHYVÄ\b",
        r"\bmonths\b",
    ],
    "en": [
        r"\bkuukautta\b",
        r"\bkuukausi\b",
        r"\bIHAN PARAS\b(?! \(the very best\))",
        r"\bERINOMAINEN\b(?! \(excellent\))",
        r"\bHYVÄ\b(?! \(good\))",
        r"\bKEHITETTÄVÄÄ\b(?! \(not yet good\))",
        r"\bEI RIITTÄVÄSTI TIETOA\b",
        r"\benglanti\b",
    ],
}
# A count of one with a plural noun: a text that was not put through ngettext.
ONE_WITH_PLURAL = {
    "fi": r"(?<![\d.,])1 (havainnointia|haamuasiakastestiä|käyntiä|kuukautta|myyjää|vastausta|"
    r"kutsua|tiimiä)\b",
    "sv": r"(?<![\d.,])1 (observationer|testköp planerade|planerade besök|månader|inbjudningar|"
    r"timmar)\b",
    "en": r"(?<![\d.,])1 (checklists|mystery tests|visits|months|salespeople|answers|teams|"
    r"invitations)\b",
}


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " | ".join(parser.parts)


def pages_in(client, language, users, ours):  # noqa: F811
    """(user, url, visible text) of every staff page each user may open, in ``language``."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for user in users:
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for route in staff_routes():
            url = url_of(route, ours)
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            yield user.username, url, visible_text(response.content.decode())


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_staff_page_speaks_its_language(client, org, ours, language):  # noqa: F811
    users = [org.leader, org.manager_a, org.seller_a_user]
    problems, seen = [], 0
    for username, url, text in pages_in(client, language, users, ours):
        seen += 1
        for pattern in UNTRANSLATED[language]:
            for found in re.finditer(pattern, text):
                problems.append(f"{username} {url}: untranslated {found.group(0)!r}")
        for found in re.finditer(ONE_WITH_PLURAL[language], text):
            problems.append(f"{username} {url}: plural after one: {found.group(0)!r}")
    assert seen > 40  # every role's pages were rendered, not a login redirect
    assert problems == []


def test_the_one_counts_on_the_home_page_use_the_singular(client, org, ours):  # noqa: F811
    """The fixture holds one planned visit (and no submitted checklist)."""
    client.force_login(org.leader)
    for language, expected in {
        "fi": ["0 havainnointia", "1 käynti suunniteltu"],
        "sv": ["0 observationer", "1 planerat besök"],
        "en": ["0 checklists", "1 visit planned"],
    }.items():
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        text = visible_text(client.get("/").content.decode()).replace(" | ", " ")
        for phrase in expected:
            assert phrase in text, (language, phrase)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_language_menu_names_each_language_in_itself(client, org, language):
    client.force_login(org.manager_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get("/").content.decode()
    menu = re.search(r'<select id="language-select".*?</select>', html, re.S).group(0)
    assert re.findall(r">\s*([^<]+?)\s*</option>", menu) == ["Suomi", "Svenska", "English"]


def test_the_trend_lengths_are_in_the_pages_language(client, org):
    client.force_login(org.leader)
    labels = {}
    for language in ("fi", "sv", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        html = client.get("/reports/").content.decode()
        select = re.search(r'<select name="months".*?</select>', html, re.S).group(0)
        labels[language] = re.findall(r">\s*([^<]+?)\s*</option>", select)
    assert labels == {
        "fi": ["6 kuukautta", "12 kuukautta", "24 kuukautta"],
        "sv": ["6 månader", "12 månader", "24 månader"],
        "en": ["6 months", "12 months", "24 months"],
    }


def test_scoring_settings_name_the_levels_in_the_pages_language(client, org):
    client.force_login(org.leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    text = visible_text(client.get("/reports/settings/").content.decode())
    assert "ALLRA BÄST: index minst" in text and "IHAN PARAS" not in text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = visible_text(client.get("/reports/settings/").content.decode())
    assert "IHAN PARAS (the very best): index at least" in text


def test_the_swedish_invitations_page_asks_to_choose_in_swedish(client, org):
    client.force_login(org.manager_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    html = client.get("/surveys/invitations/").content.decode()
    assert "Select an option" not in html and "– Välj –" in html


def test_dates_follow_each_locales_order():
    day = date(2026, 11, 25)
    shown = {}
    for language in ("fi", "sv", "en"):
        with translation.override(language):
            shown[language] = (
                formats.date_format(day, "SHORT_DATE_FORMAT"),
                formats.date_format(day, "DATE_FORMAT"),
            )
    assert shown["fi"][0] == "25.11.2026"
    assert shown["sv"][0] == "2026-11-25"
    assert shown["en"] == ("25/11/2026", "25 November 2026")


def test_an_english_page_shows_dates_day_first(client, org, ours):  # noqa: F811
    from observations.models import Checklist

    observed = timezone.localtime(Checklist.objects.get().observed_at)
    client.force_login(org.manager_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = visible_text(client.get("/observations/").content.decode())
    assert f"{observed:%d/%m/%Y}" in text, text
