"""One customer company's admin sees and edits only that company in Django admin; a superuser
sees every company."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from asiakaskunto.admin_scope import ORGANISATION_ADMINS_GROUP, OrganisationScopedAdmin
from asiakaskunto.models import Method, Role, Salesperson, Team
from surveys.models import FollowUp
from tests.factories import OrganisationFactory, SalespersonFactory, TeamFactory, make_user, submit
from tests.observations.factories import ChecklistFactory, MysteryPlanFactory
from tests.surveys.factories import InvitationFactory, SurveyLinkFactory

SECRETS = ("Toinen Oy", "Olli Other", "Other Team", "other_manager", "olli@example.com")


@pytest.fixture
def other(db):
    """Another company with something of every kind."""
    organisation = OrganisationFactory(name="Toinen Oy")
    manager = make_user(organisation, Role.MANAGER, username="other_manager")
    team = TeamFactory(organisation=organisation, name="Other Team", managers=[manager])
    person = SalespersonFactory(team=team, name="Olli Other")
    submission = submit(person, Method.CUSTOMER, {"CUS3": 2}, why={"CUS3": "Olli Other"})
    FollowUp.objects.create(
        organisation=organisation, submission=submission, team=team, salesperson=person,
        reason="CUS3=2 Olli Other", answered_at=timezone.now(),
    )  # fmt: skip
    ChecklistFactory(salesperson=person, author=manager, location="Olli Other")
    MysteryPlanFactory(salesperson=person, shopper_email="olli@example.com")
    SurveyLinkFactory(salesperson=person)
    InvitationFactory(salesperson=person, email="olli@example.com")
    return {"organisation": organisation, "team": team, "person": person, "manager": manager}


@pytest.fixture
def company_admin(org):
    user = make_user(org.organisation, Role.LEADERSHIP, username="company_admin", is_staff=True)
    user.groups.add(Group.objects.get(name=ORGANISATION_ADMINS_GROUP))
    return user


def changelists():
    return sorted(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, OrganisationScopedAdmin)
    )


def test_every_project_model_is_scoped():
    project_apps = {"asiakaskunto", "observations", "surveys", "reports", "coaching", "privacy"}
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in project_apps:
            assert isinstance(model_admin, OrganisationScopedAdmin), model


@pytest.mark.parametrize("url", changelists())
def test_a_company_admin_sees_nothing_of_another_company(
    org, other, company_admin, client_for, url, django_assert_max_num_queries
):
    client = client_for(company_admin)
    with django_assert_max_num_queries(30):
        response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    for secret in SECRETS:
        assert secret not in page, (url, secret)


def test_a_company_admin_sees_their_own_people(org, other, company_admin, client_for):
    page = client_for(company_admin).get("/admin/asiakaskunto/salesperson/").content.decode()
    assert "Aino Seller" in page and "Team A" in page


def test_another_company_s_objects_are_not_found(org, other, company_admin, client_for):
    client = client_for(company_admin)
    person = other["person"]
    url = f"/admin/asiakaskunto/salesperson/{person.pk}/change/"
    assert client.get(url).status_code == 302  # "does not exist", back to the index
    response = client.post(url, {"name": "Hacked", "team": other["team"].pk, "active": "on"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "Olli Other"
    response = client.post(
        "/admin/asiakaskunto/salesperson/",
        {"action": "erase_data", "_selected_action": [person.pk]},
    )
    person.refresh_from_db()
    assert person.name == "Olli Other"


def test_related_choices_stay_in_the_company(org, other, company_admin, client_for):
    client = client_for(company_admin)
    page = client.get("/admin/asiakaskunto/salesperson/add/").content.decode()
    assert "Team A" in page and "Other Team" not in page
    for organisation, team in (
        (org.organisation, other["team"]),
        (other["organisation"], org.team_a),
    ):
        response = client.post(
            "/admin/asiakaskunto/salesperson/add/",
            {"organisation": organisation.pk, "name": "Uusi", "team": team.pk},
        )
        assert response.status_code == 200  # the form again, with the error
        assert "Valitse oikea vaihtoehto" in response.content.decode()
    assert not Salesperson.objects.filter(name="Uusi").exists()
    response = client.post(
        f"/admin/asiakaskunto/team/{org.team_a.pk}/change/",
        {"name": "Team A", "managers": [other["manager"].pk]},
    )
    assert response.status_code == 200
    assert not Team.objects.filter(managers=other["manager"], pk=org.team_a.pk).exists()


def test_what_a_company_admin_adds_belongs_to_their_company(org, company_admin, client_for):
    client = client_for(company_admin)
    page = client.get("/admin/asiakaskunto/salesperson/add/").content.decode()
    assert f'<option value="{org.organisation.pk}" selected>' in page
    response = client.post(
        "/admin/asiakaskunto/salesperson/add/",
        {"organisation": org.organisation.pk, "name": "Uusi", "team": org.team_a.pk},
    )
    assert response.status_code == 302
    assert Salesperson.objects.get(name="Uusi").organisation == org.organisation


def test_a_company_admin_sees_only_their_organisation(org, other, company_admin, client_for):
    page = client_for(company_admin).get("/admin/asiakaskunto/organisation/").content.decode()
    assert "Testikauppa Oy" in page and "Toinen Oy" not in page
    assert client_for(company_admin).get("/admin/auth/user/").status_code == 403


def test_staff_without_an_organisation_sees_nothing(org, other, client_for):
    from tests.factories import UserFactory

    staff = UserFactory(username="loose_staff", is_staff=True)
    staff.groups.add(Group.objects.get(name=ORGANISATION_ADMINS_GROUP))
    page = client_for(staff).get("/admin/asiakaskunto/salesperson/").content.decode()
    assert "Aino Seller" not in page and "Olli Other" not in page


def test_a_superuser_sees_every_company(org, other, client_for):
    page = client_for(org.admin).get("/admin/asiakaskunto/salesperson/").content.decode()
    assert "Aino Seller" in page and "Olli Other" in page
