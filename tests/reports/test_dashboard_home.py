"""The reports panel on the home page: leadership's headline, a manager's teams' standing."""

from django.urls import reverse

from reports.results_cache import grades_for
from tests.reports.dashboard_data import fill
from tests.visible import list_items


def test_leadership_sees_the_organisations_headline_on_the_home_page(org, client_for):
    fill([], people=[org.seller_a, org.colleague_a, org.seller_b], surveys=8)
    response = client_for(org.leader).get(reverse("home"))
    page = response.content.decode()
    group = grades_for(org.organisation).organisation
    assert 'data-testid="reports-home-panel"' in page
    assert f"n = {group.metrics['NPS'].n}" in page
    assert reverse("reports:dashboard") in page


def test_a_manager_sees_only_their_teams_standing(org, client_for):
    fill([], people=[org.seller_a, org.colleague_a, org.seller_b], surveys=8)
    response = client_for(org.manager_a).get(reverse("home"))
    page = response.content.decode()
    assert f'data-testid="home-team-{org.team_a.pk}"' in page
    assert f'data-testid="home-team-{org.team_b.pk}"' not in page
    assert reverse("reports:team_dashboard", args=[org.team_a.pk]) in page
    index = grades_for(org.organisation).teams[org.team_a.pk].index
    assert f"{index:.1f}".replace(".", ",") in page


def test_without_answers_the_home_panel_says_so(org, client_for):
    page = client_for(org.manager_a).get(reverse("home")).content.decode()
    assert "Ei vielä vastauksia tällä jaksolla." in page
    leader_page = client_for(org.leader).get(reverse("home")).content.decode()
    assert "liian vähän vastauksia" in leader_page


def test_a_salesperson_gets_no_dashboard_link_and_only_their_own_standing(org, client_for):
    page = client_for(org.seller_a_user).get(reverse("home")).content.decode()
    assert 'data-testid="nav-dashboard"' not in page
    assert f'href="{reverse("reports:dashboard")}"' not in page
    assert reverse("reports:person", args=[org.seller_a.pk]) in page
    assert reverse("reports:person", args=[org.colleague_a.pk]) not in page


def test_the_home_page_queries_stay_bounded(org, client_for, django_assert_max_num_queries):
    fill([org.team_a, org.team_b], people_per_team=20, surveys=5)
    client = client_for(org.manager_a)
    # With the observations' (drafts, visits, overdue, tests waiting for review), surveys' and
    # coaching panels; cold: the result is computed once and stored in the shared cache (a
    # table here: its reads and writes count).
    # (+2: every CULL_EVERY-th write to that table also culls it)
    with django_assert_max_num_queries(31):
        client.get(reverse("home"))


def test_a_salesperson_sees_their_own_level_and_what_to_train_at_home(org, client_for):
    """Five perfect customer surveys and a poor observation (OBS1–3 all 1): attitude, from
    observation only, is 0; skills 0.2·0 + 0.5·100 over 0.7 = 71.4; loyalty 100. Index
    (0 + 71.4 + 100)/3 = 57.1 → KEHITETTÄVÄÄ, 17.9 points to ERINOMAINEN (75); only attitude
    is below the ERINOMAINEN floor 65, so it is what to train next."""
    from datetime import timedelta

    from django.utils import timezone

    from asiakaskunto.models import Method
    from tests.factories import submit

    now = timezone.now()
    for day in range(5):
        submit(
            org.seller_a,
            Method.CUSTOMER,
            {"CUS1": 5, "CUS2": 5, "CUS3": 10},
            answered_at=now - timedelta(days=day + 1),
        )
    submit(
        org.seller_a,
        Method.OBSERVATION,
        {"OBS1": 1, "OBS2": 1, "OBS3": 1},
        answered_at=now - timedelta(days=1),
    )
    html = client_for(org.seller_a_user).get(reverse("home")).content.decode()
    assert "KEHITETTÄVÄÄ" in html and "Indeksi 57,1" in html
    assert "17,9 pistettä tasoon ERINOMAINEN" in html
    assert "Harjoittele seuraavaksi" in html
    assert [item.text for item in list_items(html, "train-next")] == ["Tunnetaso, vire ja ymmärrys"]
    assert reverse("reports:person", args=[org.seller_a.pk]) in html


def test_a_salesperson_without_answers_is_told_what_evidence_is_missing(org, client_for):
    html = client_for(org.seller_a_user).get(reverse("home")).content.decode()
    assert "EI RIITTÄVÄSTI TIETOA" in html and "0/5 asiakaskyselyä" in html
