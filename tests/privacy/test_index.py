"""Leadership's personal-data page lists their own organisation's people with the ways to
export and erase them, and links to the customer search and the retention settings."""

import pytest

from asiakaskunto.models import Role
from tests.factories import OrganisationFactory, SalespersonFactory, TeamFactory, make_user

URL = "/privacy/"


def test_it_lists_the_organisation_s_people(org, client_for, django_assert_max_num_queries):
    for number in range(5):
        SalespersonFactory(team=org.team_a, name=f"Extra {number}")
    client = client_for(org.leader)
    with django_assert_max_num_queries(8):
        response = client.get(URL)
    page = response.content.decode()
    assert "Aino Seller" in page and "Extra 4" in page
    assert f"/privacy/people/{org.seller_a.pk}/export/" in page
    assert "/privacy/customers/" in page and "/privacy/retention/" in page


def test_it_hides_another_organisation_s_people(org, client_for):
    other = OrganisationFactory()
    SalespersonFactory(team=TeamFactory(organisation=other), name="Olli Other")
    leader = make_user(other, Role.LEADERSHIP, username="other_leader")
    page = client_for(leader).get(URL).content.decode()
    assert "Olli Other" in page and "Aino Seller" not in page


@pytest.mark.parametrize("who", ["manager_a", "seller_a_user"])
def test_it_refuses_managers_and_salespeople(org, client_for, who):
    assert client_for(getattr(org, who)).get(URL).status_code == 403


def test_leadership_finds_it_in_the_menu(org, client_for):
    assert 'href="/privacy/"' in client_for(org.leader).get("/").content.decode()
    assert 'href="/privacy/"' not in client_for(org.manager_a).get("/").content.decode()
