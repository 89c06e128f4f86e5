"""The Finnish and Swedish catalogues: complete, and consistent across the apps.

Django merges every app's catalogue into one; when two apps translate the same text
differently, the first app in INSTALLED_APPS wins everywhere. These tests keep that from
happening silently (use a context, pgettext, where one English word needs two translations).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = [
    "locale",
    "observations/locale",
    "surveys/locale",
    "reports/locale",
    "coaching/locale",
]


def entries(path: Path) -> list[dict]:
    """(context, msgid, msgstr, fuzzy) of each entry of a .po file."""
    found, current, field = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#~"):
            continue
        starts_entry = line.startswith(("msgctxt ", "#")) or (
            line.startswith("msgid ") and (current is None or "msgstr" in current)
        )
        if (starts_entry or line == "") and current and "msgstr" in current:
            found.append(current)
            current = None
        if line == "":
            continue
        if current is None:
            current = {"msgctxt": "", "fuzzy": False}
        if line.startswith("#,") and "fuzzy" in line:
            current["fuzzy"] = True
        for key in ("msgctxt", "msgid_plural", "msgid", "msgstr[0]", "msgstr[1]", "msgstr"):
            if line.startswith(key + " "):
                field = "msgstr" if key.startswith("msgstr") and key != "msgstr[1]" else key
                if key == "msgstr[1]":
                    field = "msgstr_plural"
                current[field] = ast.literal_eval(line[len(key) + 1 :])
                break
        else:
            if line.startswith('"') and field:
                current[field] += ast.literal_eval(line)
    return [e for e in found if e.get("msgid")]


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_text_is_translated_and_none_is_fuzzy(language):
    missing = []
    for catalogue in CATALOGUES:
        for entry in entries(ROOT / catalogue / language / "LC_MESSAGES" / "django.po"):
            if entry["fuzzy"] or not entry.get("msgstr"):
                missing.append(f"{catalogue}: {entry['msgid']!r}")
    assert missing == []


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_no_two_apps_translate_the_same_text_differently(language):
    seen, clashes = {}, []
    for catalogue in CATALOGUES:
        for entry in entries(ROOT / catalogue / language / "LC_MESSAGES" / "django.po"):
            key = (entry["msgctxt"], entry["msgid"])
            if key in seen and seen[key][1] != entry["msgstr"]:
                clashes.append(
                    f"{entry['msgid']!r}: {seen[key][0]} {seen[key][1]!r} ≠ {catalogue} {entry['msgstr']!r}"
                )
            seen.setdefault(key, (catalogue, entry["msgstr"]))
    assert clashes == []
