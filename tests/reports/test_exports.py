"""The exports: the answers of a filter and the grades as of its end, as CSV and Excel, with the
page's numbers, only the user's teams, no formula from a stranger's text, and a constant number
of queries however many rows."""

import csv
import io
from datetime import datetime, time, timedelta

import numpy as np
import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from asiakaskunto.models import Method
from reports.exports import neutralise, score_of
from reports.person import rounded
from reports.results_cache import grades_for
from reports.scoring import AREAS, ScoringSettings, normalise
from reports.views import exports as export_views
from tests.factories import submit
from tests.reports.test_person_page import give_evidence


def download(client, name, **params):
    response = client.get(reverse(f"reports:{name}"), params)
    assert response.status_code == 200, response.content[:500]
    return response


def csv_rows(response):
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())  # the BOM: Excel reads ä and ö right
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(response, sheet=0):
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.worksheets[sheet].iter_rows(values_only=True)]


def end_of(day):
    return timezone.make_aware(datetime.combine(day, time.max))


def test_the_answers_csv_has_one_row_per_answer_with_its_score(org, client_for):
    from surveys.models import SurveyResponse

    moment = timezone.make_aware(datetime(2026, 3, 4, 14, 30))
    survey = submit(
        org.seller_a,
        Method.CUSTOMER,
        {"CUS1": 4, "CUS3": 9},
        answered_at=moment,
        why={"CUS1": "Sain neuvoja, kiitos"},
    )
    SurveyResponse.objects.create(submission=survey, language="fi", free_text="Hyvä kauppa!")
    rows = csv_rows(
        download(
            client_for(org.leader),
            "export_answers_csv",
            start_date="2026-03-01",
            end_date="2026-03-31",
        )
    )
    assert rows[0] == [
        "Vastattu",
        "Tiimi",
        "Myyjä",
        "Mittaustapa",
        "Osa-alue",
        "Kysymyksen tunnus",
        "Kysymys",
        "Arvo",
        "Pisteet 0–100",
        "Miksi",
        "Asiakkaan vapaa palaute (koko kysely)",
        "Haastattelija",
    ]
    assert rows[1:] == [
        [
            "2026-03-04 14:30",
            "Team A",
            "Aino Seller",
            "Kysy asiakkaalta",
            "Taidot ja valmius",
            "CUS1",
            "Saitko sen mitä tulit hakemaan?",
            "4",
            "75.0",
            "Sain neuvoja, kiitos",
            "Hyvä kauppa!",
            "",
        ],
        [
            "2026-03-04 14:30",
            "Team A",
            "Aino Seller",
            "Kysy asiakkaalta",
            "Asiakasuskollisuus",
            "CUS3",
            "Suosittelisitko tuotteitamme ja palveluitamme kavereillesi?",
            "9",
            "90.0",
            "",
            "Hyvä kauppa!",
            "",
        ],
    ]


def test_the_answers_follow_the_period_and_the_method(org, client_for):
    now = timezone.now()
    give_evidence(org.seller_a, now=now)  # customer 1–5 days ago, observation 2 days ago
    submit(org.seller_a, Method.OBSERVATION, {"OBS1": 3}, answered_at=now - timedelta(days=40))
    client = client_for(org.leader)
    today = timezone.localdate()
    recent = {"start_date": (today - timedelta(days=10)).isoformat(), "end_date": today}
    assert len(csv_rows(download(client, "export_answers_csv", **recent))) == 1 + 15 + 3
    only_observation = csv_rows(
        download(client, "export_answers_csv", method=Method.OBSERVATION, **recent)
    )
    assert {row[3] for row in only_observation[1:]} == {"Havainnointi"}
    assert len(only_observation) == 1 + 3


def test_an_empty_filter_gives_the_header_only(org, client_for):
    client = client_for(org.leader)
    assert len(csv_rows(download(client, "export_answers_csv"))) == 1
    assert len(xlsx_rows(download(client, "export_answers_xlsx"))) == 1


def test_the_answers_excel_has_the_same_rows_as_the_csv(org, client_for):
    give_evidence(org.seller_a, why={"CUS2": "Palaan varmasti"})
    client = client_for(org.leader)
    from_csv = csv_rows(download(client, "export_answers_csv"))
    from_xlsx = xlsx_rows(download(client, "export_answers_xlsx"))
    assert from_xlsx[0] == from_csv[0]
    assert len(from_xlsx) == len(from_csv) == 1 + 18
    for a, b in zip(from_csv[1:], from_xlsx[1:], strict=True):
        assert b[0].strftime("%Y-%m-%d %H:%M") == a[0]
        assert b[1:7] + [b[9] or ""] == a[1:7] + [a[9]]  # texts
        assert (b[7], b[8]) == (int(a[7]), float(a[8]))  # value and score as numbers


def test_a_texts_formula_is_neutralised_in_csv_and_excel(org, client_for):
    whys = {"CUS1": '=HYPERLINK("http://x","y")', "CUS2": "+1", "CUS3": "@SUM(A1)\x07"}
    give_evidence(org.seller_a, surveys=1, why=whys)
    client = client_for(org.leader)
    csv_whys = {row[5]: row[9] for row in csv_rows(download(client, "export_answers_csv"))[1:]}
    xlsx_whys = {row[5]: row[9] for row in xlsx_rows(download(client, "export_answers_xlsx"))[1:]}
    assert csv_whys["CUS1"] == '\'=HYPERLINK("http://x","y")'
    assert csv_whys["CUS2"] == "'+1"
    assert xlsx_whys["CUS1"] == '\'=HYPERLINK("http://x","y")'
    assert xlsx_whys["CUS3"] == "'@SUM(A1)"  # the bell character is dropped: Excel refuses it


@pytest.mark.parametrize(
    ("text", "safe"),
    [("=1+1", "'=1+1"), ("-5", "'-5"), ("\tx", "'\tx"), ("Hyvä", "Hyvä"), ("", "")],
)
def test_neutralise_prefixes_only_what_a_spreadsheet_would_calculate(text, safe):
    assert neutralise(text) == safe


def test_the_export_scores_are_the_engines_normalisation():
    settings = ScoringSettings()
    for scale, values in (
        ("FIVE_POINT", range(1, 6)),
        ("ELEVEN_POINT", range(0, 11)),
        ("YES_PARTLY_NO", range(0, 3)),
    ):
        code = ["FIVE_POINT", "ELEVEN_POINT", "YES_PARTLY_NO"].index(scale)
        engine = normalise(np.full(len(values), code), np.array(values, float), settings)
        assert [score_of(scale, v, settings) for v in values] == [rounded(x) for x in engine]


def test_the_answers_export_scores_with_the_organisations_own_yes_partly_no(org, client_for):
    """Leadership scores yes/partly/no as 90/40/10 instead of 100/50/0: the export's score
    column is the engine's normalisation with those settings, a five-point answer unchanged."""
    import dataclasses

    from asiakaskunto.models import Question
    from reports.services import save_scoring_settings, scoring_settings_for

    Question.objects.create(
        organisation=org.organisation, code="OBSYN", method=Method.OBSERVATION, area="SKILLS", scale="YES_PARTLY_NO",
        text_fi="Tervehtikö?", text_en="Greeted?",
    )  # fmt: skip
    custom = dataclasses.replace(
        ScoringSettings(), yes_score=90.0, partly_score=40.0, no_score=10.0
    )
    save_scoring_settings(org.organisation, custom)
    moment = timezone.make_aware(datetime(2026, 3, 4, 14, 30))
    for value in (0, 1, 2):
        submit(org.seller_a, Method.OBSERVATION, {"OBSYN": value, "OBS1": 4}, answered_at=moment)
    rows = csv_rows(
        download(
            client_for(org.leader),
            "export_answers_csv",
            start_date="2026-03-01",
            end_date="2026-03-31",
        )
    )[1:]
    exported = sorted((row[5], int(row[7]), float(row[8])) for row in rows)
    settings = scoring_settings_for(org.organisation)
    engine = normalise(np.array([2, 2, 2, 0]), np.array([0.0, 1.0, 2.0, 4.0]), settings)
    assert exported == [
        ("OBS1", 4, 75.0),
        ("OBS1", 4, 75.0),
        ("OBS1", 4, 75.0),
        ("OBSYN", 0, 10.0),
        ("OBSYN", 1, 40.0),
        ("OBSYN", 2, 90.0),
    ]
    assert [score for _code, _value, score in exported[3:]] == list(engine[:3])
    assert exported[0][2] == engine[3]


def test_the_answers_export_runs_a_constant_number_of_queries(org, client_for):
    client = client_for(org.leader)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            b"".join(download(client, "export_answers_csv").streaming_content)
        return len(queries)

    give_evidence(org.seller_a, surveys=1)
    few = count_queries()
    for person in (org.seller_a, org.colleague_a, org.seller_b):
        give_evidence(person, surveys=12)
    assert count_queries() == few


def test_the_grades_export_equals_the_engine_as_of_the_periods_end(org, client_for):
    """The CSV and the Excel carry grades_for's values for the same moment (a period that ends
    today: now, as on the pages), rounded to one decimal like the page."""
    give_evidence(org.seller_a, customer=(4, 3, 8), observation=(4, 5, 3))
    give_evidence(org.seller_b, customer=(5, 2, 3), surveys=3, observation=None)
    grades = grades_for(org.organisation)
    client = client_for(org.leader)
    from_csv = csv_rows(download(client, "export_grades_csv"))
    from_xlsx = xlsx_rows(download(client, "export_grades_xlsx"))
    header = from_csv[0]
    assert header[:6] == ["Myyjä", "Tiimi", "Taso", "Alustava", "Syyt", "Kuntoindeksi"]
    assert from_xlsx[0] == header
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in from_xlsx[1:]}
    assert set(by_name) == {"Aino Seller", "Bertta Seller", "Cecilia Colleague"}
    for person in (org.seller_a, org.seller_b):
        result = grades.people[person.pk]
        row = by_name[person.name]
        assert row["Kuntoindeksi"] == rounded(result.index)
        assert row["Ero tavoitteeseen"] == rounded(result.gap_to_target)
        for area in AREAS:
            label = {"KNOWLEDGE": "Tiedot", "SKILLS": "Taidot ja valmius"}.get(area)
            if label:
                score = result.areas.get(area)
                assert row[label] == (rounded(score.score) if score else None)
        assert row["Asiakaskyselyt (n)"] == result.submissions_per_method["CUSTOMER"]
        assert row["NPS n"] == result.metrics["NPS"].n
    aino = by_name["Aino Seller"]
    assert aino["NPS"] == rounded(grades.people[org.seller_a.pk].metrics["NPS"].value)
    bertta = by_name["Bertta Seller"]
    assert bertta["Taso"] == "EI RIITTÄVÄSTI TIETOA"
    assert bertta["Syyt"] == "3/5 asiakaskyselyä, 1/2 mittaustapaa"
    assert bertta["NPS"] is None and bertta["NPS n"] == 3  # too few: withheld, as on the page
    cecilia = by_name["Cecilia Colleague"]
    assert cecilia["Kuntoindeksi"] is None and cecilia["Asiakaskyselyt (n)"] == 0
    # The CSV says the same in text.
    csv_aino = next(row for row in from_csv if row[0] == "Aino Seller")
    assert csv_aino[5] == str(rounded(grades.people[org.seller_a.pk].index))


def test_the_grades_page_and_export_show_the_same_index(org, client_for):
    give_evidence(org.seller_a, customer=(4, 3, 7), observation=(3, 5, 4))
    client = client_for(org.leader)
    page = client.get(reverse("reports:person", args=[org.seller_a.pk])).context["index"]["index"]
    rows = csv_rows(download(client, "export_grades_csv"))
    exported = next(row for row in rows if row[0] == "Aino Seller")[5]
    # A period that ends today is graded as of now, like the page.
    assert exported == str(page)


def test_a_past_period_is_graded_as_of_its_last_day(org, client_for):
    from datetime import timedelta

    give_evidence(org.seller_a, customer=(4, 3, 7), observation=(3, 5, 4))
    day = timezone.localdate() - timedelta(days=2)
    client = client_for(org.leader)
    response = client.get(
        reverse("reports:export_grades_csv"),
        {"start_date": (day - timedelta(days=30)).isoformat(), "end_date": day.isoformat()},
    )
    rows = csv_rows(response)
    expected = grades_for(org.organisation, as_of=end_of(day)).people.get(org.seller_a.pk)
    exported = next(row for row in rows if row[0] == "Aino Seller")[5]
    assert exported == (
        str(rounded(expected.index)) if expected and expected.index is not None else ""
    )


def test_a_manager_exports_only_their_teams(org, client_for):
    give_evidence(org.seller_a)
    give_evidence(org.seller_b)
    client = client_for(org.manager_a)
    answers = csv_rows(download(client, "export_answers_csv"))
    assert {row[1] for row in answers[1:]} == {"Team A"}
    grades = xlsx_rows(download(client, "export_grades_xlsx"))
    assert {row[1] for row in grades[1:]} == {"Team A"}
    assert {row[0] for row in grades[1:]} == {"Aino Seller", "Cecilia Colleague"}


@pytest.mark.parametrize(
    "name", ["exports", "export_answers_csv", "export_answers_xlsx", "export_grades_csv"]
)
def test_a_manager_asking_for_another_team_gets_404(org, client_for, name):
    give_evidence(org.seller_b)
    client = client_for(org.manager_a)
    response = client.get(reverse(f"reports:{name}"), {"teams": [org.team_b.pk]})
    assert response.status_code == 404
    response = client.get(reverse(f"reports:{name}"), {"teams": [org.team_a.pk, org.team_b.pk]})
    assert response.status_code == 404


def test_leadership_chooses_teams(org, client_for):
    give_evidence(org.seller_a)
    give_evidence(org.seller_b)
    client = client_for(org.leader)
    rows = csv_rows(download(client, "export_answers_csv", teams=[org.team_b.pk]))
    assert {row[1] for row in rows[1:]} == {"Team B"}
    rows = csv_rows(download(client, "export_grades_csv", teams=[org.team_a.pk, org.team_b.pk]))
    assert len(rows) == 1 + 3


def test_bad_dates_get_a_finnish_message_and_no_file(org, client_for):
    client = client_for(org.leader)
    response = client.get(
        reverse("reports:export_answers_csv"),
        {"start_date": "2026-05-01", "end_date": "2026-04-01"},
    )
    assert response.status_code == 400
    assert "Loppupäivä ei voi olla ennen alkupäivää." in response.content.decode()
    response = client.get(reverse("reports:exports"), {"start_date": "eilen"})
    assert response.status_code == 400
    assert "Syötä oikea päivämäärä." in response.content.decode()


def test_the_files_are_named_with_the_dates(org, client_for):
    client = client_for(org.leader)
    period = {"start_date": "2026-01-01", "end_date": "2026-06-30"}
    response = download(client, "export_answers_csv", **period)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        'filename="asiakaskunto-answers-2026-01-01-2026-06-30.csv"'
        in response["Content-Disposition"]
    )
    response = download(client, "export_grades_xlsx", **period)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="asiakaskunto-grades-2026-06-30.xlsx"' in response["Content-Disposition"]


def test_too_many_answers_for_excel_are_sent_to_csv(org, client_for, monkeypatch):
    """An Excel file is built whole before it is sent: above the limit, the page says to take
    CSV (which streams) or a narrower filter."""
    monkeypatch.setattr(export_views, "XLSX_MAX_ANSWERS", 10)
    give_evidence(org.seller_a)  # 18 answers
    client = client_for(org.leader)
    response = client.get(reverse("reports:export_answers_xlsx"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Excel ottaa kerralla enintään 10 vastausta" in html
    page = client.get(reverse("reports:exports")).content.decode()
    assert 'data-testid="download-answers-xlsx" disabled' in page
    assert len(csv_rows(download(client, "export_answers_csv"))) == 1 + 18
    assert len(xlsx_rows(download(client, "export_grades_xlsx"))) == 1 + 3


def test_the_exports_page_counts_the_answers_of_the_filter(
    org, client_for, django_assert_max_num_queries
):
    give_evidence(org.seller_a)
    give_evidence(org.seller_b)
    client = client_for(org.manager_a)
    # session, user, profile, organisation, the count, the teams to choose from
    with django_assert_max_num_queries(6):
        response = client.get(reverse("reports:exports"))
    html = response.content.decode()
    assert "18 vastausta tässä rajauksessa." in html
    assert "Team A" in html and "Team B" not in html


def test_the_grades_export_needs_a_bounded_number_of_queries(
    org, client_for, django_assert_max_num_queries
):
    for person in (org.seller_a, org.colleague_a, org.seller_b):
        give_evidence(person, surveys=7)
    client = client_for(org.leader)
    # session, user, profile, organisation, settings ×2, the answers to grade, the people, and
    # the stored result's reads and writes (the shared cache is a table here)
    # (+2: every CULL_EVERY-th write to that table also culls it; +1: the span's submission ids,
    # which choose how the answers are read)
    with django_assert_max_num_queries(16):
        b"".join(download(client, "export_grades_xlsx").streaming_content)
