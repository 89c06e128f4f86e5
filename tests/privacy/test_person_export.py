"""Leadership downloads everything stored about one salesperson as JSON."""

import json

import pytest

from asiakaskunto.models import Role
from privacy import registry
from tests.factories import OrganisationFactory, make_user
from tests.privacy.factories import everything_about


def url(person):
    return f"/privacy/people/{person.pk}/export/"


def test_it_holds_every_app_s_part(org):
    everything_about(org, org.seller_a)
    data = json.loads(json.dumps(registry.export_person(org.seller_a), default=str))
    assert data["profile"]["name"] == "Aino Seller"
    assert data["profile"]["account"]["username"] == "seller_a"
    assert {(a["question"], a["why"]) for a in data["answers"]} >= {("OBS1", "Hymyili")}
    checklist = data["observations"]["checklists"][0]
    assert checklist["general_note"] == "Oli töykeä"
    assert checklist["revisions"][0]["previous"] == {"general_note": "Oli vähän töykeä"}
    assert data["observations"]["mystery_plans"][0]["instructions"] == "Kysy lahjakorteista"
    follow_up = data["surveys"]["follow_ups"][0]
    assert [note["text"] for note in follow_up["notes"]] == ["Soitin, pahoittelin"]
    assert follow_up["notes"][0]["by"] == "manager_a"
    assert [(c["from"], c["to"], c["by"]) for c in follow_up["status_changes"]] == [
        ("OPEN", "CONTACTED", "manager_a")
    ]
    assert data["surveys"]["responses"][0]["free_text"] == "Myyjä oli kiireinen"


def test_it_leaves_out_the_customers_and_shoppers_contacts(org):
    everything_about(org, org.seller_a)
    text = json.dumps(registry.export_person(org.seller_a), default=str)
    assert "kaisa@example.com" not in text
    assert "sari@example.com" not in text


def test_it_holds_nothing_of_a_colleague(org):
    everything_about(org, org.seller_b)
    data = registry.export_person(org.seller_a)
    assert data["answers"] == [] and data["observations"]["checklists"] == []
    assert data["surveys"]["follow_ups"] == []


def test_an_app_s_registered_part_is_exported(org):
    registry.register("extra", export_person=lambda person: {"hello": person.name})
    try:
        assert registry.export_person(org.seller_a)["extra"] == {"hello": "Aino Seller"}
    finally:
        registry.unregister("extra")


def test_leadership_downloads_it(org, client_for, django_assert_max_num_queries):
    everything_about(org, org.seller_a)
    client = client_for(org.leader)
    with django_assert_max_num_queries(23):  # one per app part; photos added one
        response = client.get(url(org.seller_a))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.content)["profile"]["name"] == "Aino Seller"


def test_the_query_count_does_not_grow_with_the_data(
    org, client_for, django_assert_max_num_queries
):
    for _ in range(3):
        everything_about(org, org.seller_a)
    client = client_for(org.leader)
    with django_assert_max_num_queries(23):  # one per app part; photos added one
        assert client.get(url(org.seller_a)).status_code == 200


@pytest.mark.parametrize("who", ["manager_a", "seller_a_user"])
def test_it_refuses_managers_and_salespeople(org, client_for, who):
    assert client_for(getattr(org, who)).get(url(org.seller_a)).status_code == 403


def test_it_hides_another_organisations_people(org, client_for):
    other_leader = make_user(OrganisationFactory(), Role.LEADERSHIP, username="other_leader")
    assert client_for(other_leader).get(url(org.seller_a)).status_code == 404


def test_it_sends_strangers_to_the_login(org, client):
    assert client.get(url(org.seller_a))["Location"].startswith("/login/")
