"""Leadership finds a customer's records by the contact they left, sees them, and erases the
contact details and free texts."""

import pytest
from django.utils import timezone

from asiakaskunto.models import Answer, Role
from observations.models import MysteryPlan
from surveys.models import FollowUpNote, Invitation, SurveyResponse
from tests.factories import OrganisationFactory, SalespersonFactory, TeamFactory, make_user
from tests.observations.factories import MysteryPlanFactory
from tests.privacy.factories import customer_answer
from tests.surveys.factories import InvitationFactory

URL = "/privacy/customers/"


@pytest.fixture
def kaisa(org):
    """Kaisa left her phone in one answer and her address in another; a manager noted her
    phone on a third customer's follow-up; an open invitation went to her address."""
    by_phone = customer_answer(
        org.seller_a, contact="Kaisa, 040 123 4567", free_text="Jonot!", why="Odotin 20 min"
    )
    by_email = customer_answer(org.seller_b, contact="kaisa@example.com", note="Soitin hänelle")
    noted = customer_answer(org.colleague_a, note="Soita takaisin +358 40 1234567")
    InvitationFactory(salesperson=org.seller_a, email="Kaisa@Example.com")
    MysteryPlanFactory(salesperson=org.seller_a, shopper_email="kaisa@example.com")
    return {"by_phone": by_phone, "by_email": by_email, "noted": noted}


@pytest.fixture
def someone_else(org):
    return customer_answer(
        org.seller_a, contact="matti@example.com, 050 765 4321", free_text="Hyvä", why="Nopea"
    )


def search(client, contact):
    return client.post(URL, {"action": "search", "contact": contact})


def test_the_search_shows_what_was_found_by_phone(
    org, kaisa, someone_else, client_for, django_assert_max_num_queries
):
    client = client_for(org.leader)
    with django_assert_max_num_queries(15):
        response = search(client, "0401234567")
    page = response.content.decode()
    assert "Jonot!" in page and "Soita takaisin" in page
    assert "matti@example.com" not in page and "Hyvä" not in page
    assert "Soitin hänelle" not in page  # the answer found by address only
    assert SurveyResponse.objects.filter(free_text="Jonot!").exists()  # nothing erased yet


def test_the_search_by_address_finds_responses_invitations_and_shoppers(org, kaisa, client_for):
    page = search(client_for(org.leader), "KAISA@example.com").content.decode()
    assert "Soitin hänelle" in page
    assert "Kaisa@Example.com" in page and "Jonot!" not in page
    assert page.count('class="list-group-item"') == 4  # response, its note, invitation, shopper


def test_the_query_count_does_not_grow_with_the_records(
    org, kaisa, client_for, django_assert_max_num_queries
):
    for _ in range(5):
        customer_answer(org.seller_a, contact="kaisa@example.com", free_text="taas")
    client = client_for(org.leader)
    with django_assert_max_num_queries(15):
        assert search(client, "kaisa@example.com").status_code == 200


def test_erasing_by_phone_blanks_the_contact_and_free_texts(org, kaisa, someone_else, client_for):
    client = client_for(org.leader)
    response = client.post(URL, {"action": "erase", "contact": "040 1234567", "confirm": "on"})
    assert response.status_code == 302
    response = SurveyResponse.objects.get(submission=kaisa["by_phone"])
    assert (response.contact, response.free_text) == ("", "")
    assert not Answer.objects.filter(submission=kaisa["by_phone"]).exclude(why="").exists()
    assert not FollowUpNote.objects.filter(follow_up__submission=kaisa["noted"]).exists()
    # The scores stay, and other customers' data stays whole.
    assert Answer.objects.filter(submission=kaisa["by_phone"]).count() == 1
    other = SurveyResponse.objects.get(submission=someone_else)
    assert other.free_text == "Hyvä" and other.contact.startswith("matti@")
    assert Answer.objects.filter(submission=someone_else, why="Nopea").exists()
    # Found by address only: not touched by the phone's erasure.
    assert SurveyResponse.objects.get(submission=kaisa["by_email"]).contact == "kaisa@example.com"


def test_erasing_by_address_blanks_invitations_and_shoppers(org, kaisa, client_for):
    client_for(org.leader).post(
        URL, {"action": "erase", "contact": "kaisa@example.com", "confirm": "on"}
    )
    assert not Invitation.objects.filter(email__iexact="kaisa@example.com").exists()
    assert Invitation.objects.filter(email="", email_erased_at__lte=timezone.now()).count() == 1
    assert not MysteryPlan.objects.filter(shopper_email__iexact="kaisa@example.com").exists()
    assert not FollowUpNote.objects.filter(follow_up__submission=kaisa["by_email"]).exists()
    assert SurveyResponse.objects.get(submission=kaisa["by_email"]).contact == ""


def test_without_the_tick_it_says_so_and_erases_nothing(org, kaisa, client_for):
    response = client_for(org.leader).post(URL, {"action": "erase", "contact": "0401234567"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Rastita ruutu" in page and "Jonot!" in page  # the findings are shown again
    assert SurveyResponse.objects.filter(free_text="Jonot!").exists()


@pytest.mark.parametrize(
    ("contact", "message"),
    [
        ("", "Anna sähköpostiosoite tai puhelinnumero"),
        ("kaisa", "Anna sähköpostiosoite tai puhelinnumero"),
        ("kaisa@", "ei ole kelvollinen sähköpostiosoite"),
    ],
)
def test_a_bad_contact_is_refused_with_a_message(org, kaisa, client_for, contact, message):
    response = search(client_for(org.leader), contact)
    assert response.status_code == 200
    assert message in response.content.decode()
    response = client_for(org.leader).post(
        URL, {"action": "erase", "contact": contact, "confirm": "on"}
    )
    assert response.status_code == 200
    assert SurveyResponse.objects.filter(free_text="Jonot!").exists()


def test_another_organisations_customers_are_neither_found_nor_erased(org, kaisa, client_for):
    other = OrganisationFactory()
    leader = make_user(other, Role.LEADERSHIP, username="other_leader")
    seller = SalespersonFactory(team=TeamFactory(organisation=other))
    customer_answer(seller, contact="kaisa@example.com", free_text="Toisen firman")
    client = client_for(leader)
    page = search(client, "kaisa@example.com").content.decode()
    assert "Toisen firman" in page and "Soitin hänelle" not in page
    client.post(URL, {"action": "erase", "contact": "kaisa@example.com", "confirm": "on"})
    assert SurveyResponse.objects.get(submission=kaisa["by_email"]).contact == "kaisa@example.com"
    assert not SurveyResponse.objects.filter(free_text="Toisen firman").exists()


@pytest.mark.parametrize("who", ["manager_a", "seller_a_user"])
def test_it_refuses_managers_and_salespeople(org, kaisa, client_for, who):
    client = client_for(getattr(org, who))
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"action": "erase", "contact": "0401234567", "confirm": "on"})
    assert response.status_code == 403
    assert SurveyResponse.objects.filter(free_text="Jonot!").exists()


def test_the_contact_stays_out_of_the_address(org, client_for):
    page = client_for(org.leader).get(URL).content.decode()
    assert 'method="post"' in page and 'method="get"' not in page
