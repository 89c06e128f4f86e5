"""Praise: customer answers of 5/5 or NPS 9–10 with a "why" text are shown to the salesperson
as customer thanks on their home page, and counted on the team page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from asiakaskunto.models import Method
from surveys.praise import praise_counts, thanks_for
from tests.factories import submit

pytestmark = pytest.mark.django_db


def customer(person, values, why, *, days_ago=1, team=None):
    return submit(
        person,
        Method.CUSTOMER,
        values,
        why=why,
        answered_at=timezone.now() - timedelta(days=days_ago),
        team=team,
    )


@pytest.mark.parametrize(
    ("values", "why", "praised"),
    [
        ({"CUS1": 5}, {"CUS1": "Löysin heti."}, True),
        ({"CUS3": 9}, {"CUS3": "Asiantunteva."}, True),
        ({"CUS3": 10}, {"CUS3": "Paras!"}, True),
        ({"CSAT": 5}, {"CSAT": "Kiitos."}, True),
        ({"CUS1": 4}, {"CUS1": "Ihan ok."}, False),  # not the top of the scale
        ({"CUS3": 8}, {"CUS3": "Hyvä."}, False),  # a passive
        ({"CUS3": 5}, {"CUS3": "Viisi."}, False),  # 5 of 10 is not 5/5
        ({"CUS1": 5}, {}, False),  # no "why"
    ],
)
def test_what_counts_as_praise(org, values, why, praised):
    customer(org.seller_a, values, why)
    count, latest = thanks_for(org.seller_a, as_of=timezone.now())
    assert count == int(praised)
    assert [answer.why for answer in latest] == list(why.values()) if praised else latest == []


def test_observations_and_old_answers_do_not_count(org):
    submit(org.seller_a, Method.OBSERVATION, {"OBS1": 5}, why={"OBS1": "Hymyili."})
    customer(org.seller_a, {"CUS1": 5}, {"CUS1": "Vanha kiitos."}, days_ago=400)
    assert thanks_for(org.seller_a, as_of=timezone.now()) == (0, [])


def test_the_salesperson_sees_their_own_thanks_on_the_home_page(
    client_for, org, django_assert_max_num_queries
):
    customer(org.seller_a, {"CUS1": 5, "CUS3": 10}, {"CUS1": "Löysin heti.", "CUS3": "Upea!"})
    customer(org.seller_b, {"CUS1": 5}, {"CUS1": "Bertan asiakas kiittää."})
    client = client_for(org.seller_a_user)
    with django_assert_max_num_queries(25):
        html = client.get(reverse("home")).content.decode()
    assert 'data-testid="customer-thanks"' in html
    assert "Upea!" in html and "Löysin heti." in html
    assert "Saitko sen mitä tulit hakemaan?" in html  # the question in words, not its code
    assert "Bertan asiakas kiittää." not in html


def test_managers_home_has_no_thanks_panel(client_for, org):
    customer(org.seller_a, {"CUS1": 5}, {"CUS1": "Löysin heti."})
    html = client_for(org.manager_a).get(reverse("home")).content.decode()
    assert 'data-testid="customer-thanks"' not in html


def test_the_team_page_counts_praise_per_person(client_for, org):
    customer(org.seller_a, {"CUS1": 5, "CUS3": 9}, {"CUS1": "Hyvä.", "CUS3": "Kiitos."})
    customer(org.colleague_a, {"CUS2": 5}, {"CUS2": "Tulen taas."})
    customer(org.seller_b, {"CUS1": 5}, {"CUS1": "Toinen tiimi."})
    counts = praise_counts(org.team_a, as_of=timezone.now())
    assert counts["total"] == 3
    assert counts["people"] == [("Aino Seller", 2), ("Cecilia Colleague", 1)]
    response = client_for(org.manager_a).get(
        reverse("reports:team_dashboard", args=[org.team_a.pk])
    )
    html = response.content.decode()
    assert 'data-testid="team-praise"' in html and "Aino Seller: <strong>2</strong>" in html
    # another team's manager does not see this team's page at all
    other = client_for(org.manager_b).get(reverse("reports:team_dashboard", args=[org.team_a.pk]))
    assert other.status_code == 404
