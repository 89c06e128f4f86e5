"""The reports panel on the home page: leadership's headline, a manager's teams' standing."""

from django.urls import reverse

from reports.services import grades_for
from tests.reports.dashboard_data import fill


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


def test_a_salesperson_gets_no_dashboard_panel_or_link(org, client_for):
    page = client_for(org.seller_a_user).get(reverse("home")).content.decode()
    assert 'data-testid="reports-home-panel"' not in page
    assert 'data-testid="nav-dashboard"' not in page


def test_the_home_page_queries_stay_bounded(org, client_for, django_assert_max_num_queries):
    fill([org.team_a, org.team_b], people_per_team=20, surveys=5)
    client = client_for(org.manager_a)
    with django_assert_max_num_queries(16):  # with the observations' and surveys' panels
        client.get(reverse("home"))
