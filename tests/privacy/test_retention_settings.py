"""Leadership sets how long their organisation keeps customers' data and answers."""

import pytest

from asiakaskunto.models import Role
from privacy.models import RetentionSettings
from tests.factories import OrganisationFactory, make_user

URL = "/privacy/retention/"


def test_it_shows_the_defaults(org, client_for, django_assert_max_num_queries):
    client = client_for(org.leader)
    with django_assert_max_num_queries(10):
        response = client.get(URL)
    assert response.status_code == 200
    assert response.context["form"]["customer_data_months"].value() == 12
    assert response.context["form"]["answers_months"].value() is None


def test_leadership_saves_them(org, client_for):
    response = client_for(org.leader).post(
        URL, {"customer_data_months": "6", "answers_months": "36"}
    )
    assert response.status_code == 302
    saved = RetentionSettings.objects.get(organisation=org.organisation)
    assert (saved.customer_data_months, saved.answers_months, saved.updated_by) == (
        6,
        36,
        org.leader,
    )
    client_for(org.leader).post(URL, {"customer_data_months": "6", "answers_months": ""})
    saved.refresh_from_db()
    assert saved.answers_months is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"customer_data_months": "0", "answers_months": ""}, "Tämän luvun on oltava vähintään 1."),
        ({"customer_data_months": "121", "answers_months": ""}, "enintään 120"),
        ({"customer_data_months": "kaksi", "answers_months": ""}, "kokonaisluku"),
        ({"customer_data_months": "", "answers_months": ""}, "Tämä kenttä vaaditaan"),
        (
            {"customer_data_months": "12", "answers_months": "6"},
            "Tämän luvun on oltava vähintään 12.",
        ),
    ],
)
def test_bad_input_says_why_and_saves_nothing(org, client_for, data, message):
    response = client_for(org.leader).post(URL, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RetentionSettings.objects.exists()


@pytest.mark.parametrize("who", ["manager_a", "seller_a_user"])
def test_it_refuses_managers_and_salespeople(org, client_for, who):
    client = client_for(getattr(org, who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"customer_data_months": "1"}).status_code == 403
    assert not RetentionSettings.objects.exists()


def test_another_organisations_leadership_changes_only_their_own(org, client_for):
    other = OrganisationFactory()
    leader = make_user(other, Role.LEADERSHIP, username="other_leader")
    client_for(leader).post(URL, {"customer_data_months": "3", "answers_months": ""})
    assert list(RetentionSettings.objects.values_list("organisation", flat=True)) == [other.pk]


def test_the_database_refuses_a_month_out_of_range(org):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        RetentionSettings.objects.create(organisation=org.organisation, customer_data_months=0)
