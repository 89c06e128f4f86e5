"""Who may open which page: every cell of role × page is asserted."""

import pytest
from django.urls import reverse

from asiakaskunto.access import visible_salespeople, visible_teams

OK, LOGIN, DENIED, NOT_FOUND = 200, "login", 403, 404

# page → expected outcome per role (anonymous, leader, manager_a, manager_b, seller_a, admin)
ROLES = ["anonymous", "leader", "manager_a", "manager_b", "seller_a_user", "admin"]
PAGES = {
    "home": ("home", None, [LOGIN, OK, OK, OK, OK, OK]),
    "team list": ("team_list", None, [LOGIN, OK, OK, OK, DENIED, OK]),
    "team A": ("team_detail", "team_a", [LOGIN, OK, OK, NOT_FOUND, DENIED, OK]),
    "team B": ("team_detail", "team_b", [LOGIN, OK, NOT_FOUND, OK, DENIED, OK]),
    "admin": ("admin:index", None, [LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, OK]),
}
CELLS = [
    pytest.param(page, role, expected, id=f"{page}-{role}")
    for page, (_, _, outcomes) in PAGES.items()
    for role, expected in zip(ROLES, outcomes, strict=True)
]


@pytest.mark.parametrize(("page", "role", "expected"), CELLS)
def test_role_page_table(org, client_for, page, role, expected):
    url_name, obj, _ = PAGES[page]
    url = reverse(url_name, args=[getattr(org, obj).pk] if obj else None)
    user = None if role == "anonymous" else getattr(org, role)
    response = client_for(user).get(url)
    if expected == LOGIN:
        assert response.status_code == 302
        assert "login" in response["Location"]
    else:
        assert response.status_code == expected


def test_a_manager_sees_only_their_own_teams_and_people(org):
    assert list(visible_teams(org.manager_a)) == [org.team_a]
    assert set(visible_salespeople(org.manager_a)) == {org.seller_a, org.colleague_a}


def test_a_salesperson_sees_only_themself(org):
    assert list(visible_salespeople(org.seller_a_user)) == [org.seller_a]
    assert list(visible_teams(org.seller_a_user)) == []


def test_leadership_sees_the_whole_organisation(org):
    assert set(visible_teams(org.leader)) == {org.team_a, org.team_b}
    assert visible_salespeople(org.leader).count() == 3


def test_a_user_of_another_organisation_sees_nothing_of_this_one(org):
    from asiakaskunto.models import Role
    from tests.factories import OrganisationFactory, make_user

    stranger = make_user(OrganisationFactory(), Role.LEADERSHIP, username="stranger")
    assert not visible_teams(stranger).filter(pk=org.team_a.pk).exists()
    assert not visible_salespeople(stranger).exists()


def test_the_team_page_uses_a_bounded_number_of_queries(
    org, client_for, django_assert_max_num_queries
):
    from tests.factories import SalespersonFactory

    SalespersonFactory.create_batch(20, team=org.team_a)
    client = client_for(org.manager_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("team_detail", args=[org.team_a.pk]))
    assert response.status_code == 200


def test_the_team_page_links_to_each_salespersons_page_and_history(org, client_for):
    html = (
        client_for(org.manager_a).get(reverse("team_detail", args=[org.team_a.pk])).content.decode()
    )
    assert reverse("reports:person", args=[org.seller_a.pk]) in html
    assert reverse("observations:salesperson_history", args=[org.colleague_a.pk]) in html
    assert reverse("reports:team_dashboard", args=[org.team_a.pk]) in html
