"""The salesperson's page: the level with its reasons, the index against the target, areas per
method, the trend, development targets with the customers' why texts, the latest answers and
the metrics — each number the engine's, rounded to one decimal."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from asiakaskunto.models import Method
from reports.charts_person import radar_figure
from reports.person import rounded
from reports.results_cache import grades_for
from tests.factories import submit


def give_evidence(
    person, *, customer=(5, 5, 10), surveys=5, observation=(5, 5, 5), now=None, why=None
):
    """`surveys` customer surveys (CUS1, CUS2, CUS3 values) a day apart and one observation
    checklist (OBS1–3): with the defaults enough evidence for a grade."""
    now = now or timezone.now()
    for day in range(surveys):
        submit(
            person,
            Method.CUSTOMER,
            dict(zip(("CUS1", "CUS2", "CUS3"), customer, strict=True)),
            answered_at=now - timedelta(days=day + 1),
            why=why,
        )
    if observation:
        submit(
            person,
            Method.OBSERVATION,
            dict(zip(("OBS1", "OBS2", "OBS3"), observation, strict=True)),
            answered_at=now - timedelta(days=2),
        )


def page(client, person):
    return client.get(reverse("reports:person", args=[person.pk]))


def test_a_salesperson_sees_their_level_and_index(org, client_for):
    """Every answer at the top of its scale: all areas 100, index 100 → IHAN PARAS."""
    give_evidence(org.seller_a)
    response = page(client_for(org.seller_a_user), org.seller_a)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="level-badge">IHAN PARAS<' in html
    assert response.context["index"]["index"] == 100.0
    assert response.context["index"]["gap"] == -25.0
    assert "tavoitetason ERINOMAINEN indeksissä 75 tai sen yli" in html
    assert 'data-plotly-src="person-radar"' in html


def test_the_numbers_on_the_page_are_the_engines_rounded_to_one_decimal(org, client_for):
    give_evidence(org.seller_a, customer=(4, 3, 8), observation=(4, 5, 3))
    result = grades_for(org.organisation).people[org.seller_a.pk]
    context = page(client_for(org.leader), org.seller_a).context
    assert context["index"]["index"] == rounded(result.index)
    assert context["index"]["low"] == rounded(result.index_interval.low)
    assert context["index"]["gap"] == rounded(result.gap_to_target)
    areas = {row["area"]: row for row in context["areas"]}
    for code, area in result.areas.items():
        assert areas[code]["score"] == rounded(area.score)
        methods = {cell["method"]: cell for cell in areas[code]["methods"]}
        for method, score in area.methods.items():
            assert methods[method]["score"] == rounded(score.score)
            assert methods[method]["n"] == score.n
    nps = {m.code: m for m in context["metrics"]}["NPS"]
    assert nps.value == rounded(result.metrics["NPS"].value) and nps.n == 5


def test_not_enough_data_says_why_in_words(org, client_for):
    """Three customer surveys and no other method: 3/5 surveys and 1/2 methods."""
    give_evidence(org.seller_a, surveys=3, observation=None)
    html = page(client_for(org.seller_a_user), org.seller_a).content.decode()
    assert "EI RIITTÄVÄSTI TIETOA" in html
    assert "3/5 asiakaskyselyä" in html
    assert "1/2 mittaustapaa" in html
    assert "eivät ole arvosana" in html  # the scores are shown, but not as a grade


def test_a_provisional_level_is_marked(org, client_for):
    """Five surveys spread over the scale give a wide interval around a middle index."""
    now = timezone.now()
    for day, values in enumerate([(1, 1, 0), (5, 5, 10), (3, 3, 5), (5, 4, 9), (2, 3, 4)]):
        submit(
            org.seller_a,
            Method.CUSTOMER,
            dict(zip(("CUS1", "CUS2", "CUS3"), values, strict=True)),
            answered_at=now - timedelta(days=day + 1),
        )
    submit(org.seller_a, Method.OBSERVATION, {"OBS1": 3, "OBS2": 4, "OBS3": 2}, answered_at=now)
    result = grades_for(org.organisation).people[org.seller_a.pk]
    assert result.provisional
    html = page(client_for(org.seller_a_user), org.seller_a).content.decode()
    assert ">alustava</span>" in html


def test_someone_without_answers_gets_the_empty_states(org, client_for):
    response = page(client_for(org.seller_a_user), org.seller_a)
    html = response.content.decode()
    assert response.status_code == 200
    assert "EI RIITTÄVÄSTI TIETOA" in html and "0/5 asiakaskyselyä" in html
    assert 'data-testid="empty-person-radar"' in html
    assert 'data-testid="empty-person-trend"' in html
    assert "Ei vielä vastauksia tällä jaksolla." in html
    assert 'data-testid="recent-empty"' in html
    assert "data-plotly-src" not in html


def test_metrics_with_fewer_than_five_answers_say_too_few(org, client_for):
    give_evidence(org.seller_a, surveys=4)
    html = page(client_for(org.seller_a_user), org.seller_a).content.decode()
    assert "liian vähän vastauksia</span> (n = 4)" in html
    assert (
        'data-testid="metric-CSAT">\n            <span class="text-body-secondary">ei vastauksia'
        in html
    )


def test_development_targets_show_the_latest_whys_with_who_wrote_them(org, client_for):
    """Customers answer CUS2 with 2 (25 points): loyalty is below the floor 65 of ERINOMAINEN."""
    give_evidence(
        org.seller_a,
        customer=(5, 2, 3),
        surveys=5,
        why={"CUS2": "Jono oli pitkä", "CUS3": '=HYPERLINK("x")'},
    )
    response = page(client_for(org.seller_a_user), org.seller_a)
    targets = response.context["targets"]
    assert [t["area"] for t in targets] == ["LOYALTY"]
    questions = {q["code"]: q for q in targets[0]["questions"]}
    assert set(questions) == {"CUS2", "CUS3"}
    assert len(questions["CUS2"]["whys"]) == 3  # the three latest of five
    html = response.content.decode()
    assert "Aiotko asioida jatkossakin meillä?" in html
    assert "Asiakas, " in html and "“Jono oli pitkä”" in html


def test_the_latest_answers_are_twenty_newest_first_in_the_active_language(org, client_for):
    give_evidence(org.seller_a, surveys=8)  # 8 × 3 + 3 = 27 answers
    client = client_for(org.seller_a_user)
    recent = page(client, org.seller_a).context["recent"]
    assert len(recent) == 20
    moments = [r["answered_at"] for r in recent]
    assert moments == sorted(moments, reverse=True)
    assert recent[0]["question"] == "Saitko sen mitä tulit hakemaan?"  # yesterday's survey
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    recent = page(client, org.seller_a).context["recent"]
    assert recent[0]["question"] == "Did you get what you came for?"


def test_the_trend_has_this_persons_months(org, client_for):
    give_evidence(org.seller_a)
    give_evidence(org.seller_b, customer=(1, 1, 0))
    context = page(client_for(org.seller_a_user), org.seller_a).context
    assert context["trend"], "the current month at least"
    assert context["trend"][-1]["index"] == 100.0
    assert context["trend_figure"]["data"][0]["name"] == "Kuntoindeksi"


def test_the_page_needs_a_bounded_number_of_queries(org, client_for, django_assert_max_num_queries):
    for person in (org.seller_a, org.colleague_a, org.seller_b):
        give_evidence(person, customer=(5, 2, 3), surveys=10, why={"CUS2": "Jono oli pitkä"})
    client = client_for(org.manager_a)
    # session, user, profile, organisation ×2, salesperson, settings ×3, answers for the grades
    # and for the trend, the latest answers, the targets' question texts, the customers' words
    # (the surveys, their answers with a why).
    # Cold; +5: the result's head and token read, its pieces, head and the page's shaped data
    # stored (the shared cache is a table here).
    # (+2: every CULL_EVERY-th write to that table also culls it; +1: the evidence photos panel;
    # +1: the span's submission ids, which choose how the answers are read)
    with django_assert_max_num_queries(24):
        assert page(client, org.seller_a).status_code == 200


@pytest.mark.parametrize(
    ("user", "person", "status"),
    [
        ("seller_a_user", "seller_a", 200),
        ("seller_a_user", "colleague_a", 404),
        ("seller_b_user", "seller_a", 404),
        ("manager_a", "seller_a", 200),
        ("manager_a", "seller_b", 404),
        ("manager_b", "seller_b", 200),
        ("leader", "seller_b", 200),
        ("admin", "seller_a", 200),
    ],
)
def test_only_the_person_their_manager_and_leadership_see_the_page(
    org, client_for, user, person, status
):
    response = page(client_for(getattr(org, user)), getattr(org, person))
    assert response.status_code == status


def test_a_salesperson_finds_their_page_in_the_menu(org, client_for):
    html = client_for(org.seller_a_user).get(reverse("home")).content.decode()
    assert f'href="{reverse("reports:person", args=[org.seller_a.pk])}"' in html
    assert "Oma sivu" in html


def test_the_radar_leaves_an_area_without_answers_off_the_scores_outline():
    areas = [
        {"area": "KNOWLEDGE", "score": None},
        {"area": "SKILLS", "score": 80.0},
        {"area": "ATTITUDE", "score": 70.0},
        {"area": "LOYALTY", "score": 90.0},
    ]
    index = {"threshold": 75.0, "floor": 65.0, "target_label": "ERINOMAINEN"}
    with translation.override("en"):
        figure = radar_figure(areas, index)
    rings, score = figure["data"][:2], figure["data"][2]
    assert rings[0]["theta"][0] == "Knowledge<br>(no answers)"  # the axis stays, named
    assert "Knowledge (no answers)" not in score["theta"]
    assert list(score["r"]) == [80.0, 70.0, 90.0, 80.0]  # no point at 0 for knowledge
