"""What customers wrote reaches the people it is about: the "why" texts and the survey's free
text on the salesperson's page and the team's page; development targets quote the answers that
explain the gap, not praise; what to train next is a list; no question codes anywhere."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from asiakaskunto.models import Method
from surveys.models import SurveyResponse
from tests.factories import submit
from tests.reports.test_person_page import give_evidence
from tests.visible import list_items, parse, question_codes_in

pytestmark = pytest.mark.django_db


def survey_with_words(person, *, free_text="", why=None, days=1, values=(4, 4, 8)):
    submission = submit(
        person,
        Method.CUSTOMER,
        dict(zip(("CUS1", "CUS2", "CUS3"), values, strict=True)),
        answered_at=timezone.now() - timedelta(days=days),
        why=why,
    )
    SurveyResponse.objects.create(
        submission=submission, language="fi", free_text=free_text, contact="040 999 888"
    )
    return submission


def test_the_salesperson_reads_the_free_text_with_the_whys(org, client_for):
    give_evidence(org.seller_a)
    survey_with_words(
        org.seller_a, free_text="Kiitos avusta, tulen uudestaan!", why={"CUS1": "Löytyi heti."}
    )
    survey_with_words(org.seller_b, free_text="Toisen tiimin palaute")
    html = (
        client_for(org.seller_a_user)
        .get(reverse("reports:person", args=[org.seller_a.pk]))
        .content.decode()
    )
    comments = list_items(html, "customer-comments")
    assert len(comments) == 1
    [free] = comments[0].find_all(data_testid="comment-free-text")
    assert "“Kiitos avusta, tulen uudestaan!”" in free.text
    [why] = list_items(html, "comment-whys")
    assert why.text == "Saitko sen mitä tulit hakemaan? 4/5: “Löytyi heti.”"
    assert "Toisen tiimin palaute" not in html
    assert "040 999 888" not in html  # the customer's contact stays with the follow-up
    assert question_codes_in(html) == []


def test_the_team_page_shows_its_customers_words_with_whom_they_met(org, client_for):
    survey_with_words(org.seller_a, free_text="Aino oli loistava.")
    survey_with_words(org.seller_b, free_text="Toisen tiimin palaute")
    html = (
        client_for(org.manager_a)
        .get(reverse("reports:team_dashboard", args=[org.team_a.pk]))
        .content.decode()
    )
    comments = list_items(html, "customer-comments")
    assert len(comments) == 1
    assert "Aino Seller" in comments[0].text and "“Aino oli loistava.”" in comments[0].text
    assert "Toisen tiimin palaute" not in html


def test_a_survey_without_words_is_not_listed(org, client_for):
    survey_with_words(org.seller_a)
    html = (
        client_for(org.seller_a_user)
        .get(reverse("reports:person", args=[org.seller_a.pk]))
        .content.decode()
    )
    assert list_items(html, "customer-comments") == []
    assert parse(html).find_all(data_testid="comments-empty")


def test_development_targets_quote_the_low_answers_not_praise(org, client_for):
    """Loyalty falls below the floor 65 on CUS2 (four answers of 1, one 5). The 5 came with
    praise and is the newest; the quoted reasons are those of the answers of 1."""
    give_evidence(org.seller_a, customer=(5, 1, 3), surveys=4, why={"CUS2": "Jono oli pitkä"})
    survey_with_words(
        org.seller_a, values=(5, 5, 10), why={"CUS2": "Ihana palvelu, kiitos!"}, days=0
    )
    html = (
        client_for(org.seller_a_user)
        .get(reverse("reports:person", args=[org.seller_a.pk]))
        .content.decode()
    )
    tree = parse(html)
    quoted = [item.text for item in tree.find_all(data_testid="target-why")]
    assert quoted and all("“Jono oli pitkä”" in text and "vastaus 1/5" in text for text in quoted)
    assert "Ihana palvelu" not in " ".join(quoted)
    [note] = tree.find_all(data_testid="targets-evidence")
    assert "heikoimmin arvioidut ensin" in note.text


def test_what_to_train_next_is_a_list_of_whole_area_names(org, client_for):
    """Area names contain commas ("Tunnetaso, vire ja ymmärrys"): a comma-joined line would
    split them; a list keeps each whole."""
    give_evidence(org.seller_a, customer=(1, 1, 0), observation=(1, 1, 1))
    html = client_for(org.seller_a_user).get(reverse("home")).content.decode()
    items = [item.text for item in list_items(html, "train-next")]
    assert "Tunnetaso, vire ja ymmärrys" in items
    assert len(items) == 3


def test_the_history_heads_its_columns_with_the_questions(org, client_for):
    html = (
        client_for(org.manager_a)
        .get(reverse("observations:salesperson_history", args=[org.seller_a.pk]))
        .content.decode()
    )
    headers = parse(html).find_all("th")
    assert "Irtoaako asiakashymy…" in [th.text for th in headers]
    titles = [abbr.attrs["title"] for th in headers for abbr in th.find_all("abbr")]
    assert "Irtoaako asiakashymy helposti?" in titles
    assert "Miten halukas ja kykenevä myyjä on ratkaisemaan tarpeesi?" in titles
    assert question_codes_in(html) == []


def test_the_person_page_keeps_a_bounded_number_of_queries_with_comments(
    org, client_for, django_assert_max_num_queries
):
    for day in range(12):
        survey_with_words(org.seller_a, free_text=f"Palaute {day}", why={"CUS1": "ok"}, days=day)
    client = client_for(org.seller_a_user)
    # (+3: the result computed on this first request and the page's shaped data are stored in
    # the shared cache, a table here)
    # (+2: every CULL_EVERY-th write to that table also culls it; +1: the evidence photos panel;
    # +1: the span's submission ids, which choose how the answers are read)
    with django_assert_max_num_queries(23):
        response = client.get(reverse("reports:person", args=[org.seller_a.pk]))
    assert len(list_items(response.content, "customer-comments")) == 10


def test_the_development_targets_chart_and_table_name_questions_in_words(org, client_for):
    """CUS2 answered 1 by every customer: loyalty and its question are development targets."""
    from tests.visible import QUESTION_CODE

    give_evidence(org.seller_a, customer=(5, 1, 3))
    response = client_for(org.manager_a).get(
        reverse("reports:team_dashboard", args=[org.team_a.pk])
    )
    labels = [label for trace in response.context["targets_chart"]["data"] for label in trace["y"]]
    assert any("Aiotko asioida jatkossakin" in label for label in labels)
    assert not [label for label in labels if QUESTION_CODE.search(label)]
    assert "· Aiotko asioida jatkossakin meillä?" in response.context["targets_table"]
    assert question_codes_in(response.content) == []
