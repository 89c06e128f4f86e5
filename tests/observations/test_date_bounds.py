"""Dates a person types in stay between 2000-01-01 and what makes sense (now, or a year ahead
for a plan): a form says so in the user's language and stores nothing, the database refuses
the rest, and the pages that list the rows keep working."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from asiakaskunto.models import Method, Submission
from observations.models import Checklist, MysteryPlan, MysteryTest

from .factories import ALL_MYS, ALL_OBS, ChecklistFactory, MysteryPlanFactory, checklist_post
from .factories import mystery_post as shopper_post

NEW_CHECKLIST = reverse("observations:checklist_create")
NEW_PLAN = reverse("observations:plan_create")
YEAR_ONE = "0001-01-01T10:00"


def plan_post(**fields):
    today = timezone.localdate()
    data = {
        "salesperson": "",
        "team": "",
        "window_start_date": today.isoformat(),
        "window_end_date": (today + timedelta(days=14)).isoformat(),
        "shopper_name": "Sari Shopper",
        "shopper_email": "",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize(
    "language, message",
    [
        ("fi", "Päivämäärä ei voi olla ennen %s."),
        ("sv", "Datumet kan inte vara före %s."),
        ("en", "The date cannot be before %s."),
    ],
)
def test_a_checklist_dated_year_one_is_refused_in_the_users_language(
    org, client_for, language, message
):
    with translation.override(language):
        message %= date_format(date(2000, 1, 1), "SHORT_DATE_FORMAT")
    client = client_for(org.manager_a)
    client.cookies["django_language"] = language
    data = checklist_post(org.seller_a, ALL_OBS)
    data["observed_at"] = YEAR_ONE
    response = client.post(NEW_CHECKLIST, data, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Checklist.objects.count() == 0 and Submission.objects.count() == 0


@pytest.mark.parametrize("observed_at", ["1999-12-31T23:59", "9999-12-31T23:59"])
def test_a_draft_outside_the_range_is_refused_too(org, client_for, observed_at):
    data = checklist_post(org.seller_a, {"OBS1": 3}, action="draft")
    data["observed_at"] = observed_at
    response = client_for(org.manager_a).post(NEW_CHECKLIST, data)
    assert response.status_code == 200 and response.context["form"].errors["observed_at"]
    assert Checklist.objects.count() == 0


def test_the_first_day_of_2000_is_accepted(org, client_for):
    data = checklist_post(org.seller_a, ALL_OBS)
    data["observed_at"] = "2000-01-01T12:00"
    response = client_for(org.manager_a).post(NEW_CHECKLIST, data)
    assert response.status_code == 302
    assert Checklist.objects.get().observed_at.year == 2000


def test_correcting_a_checklist_to_year_one_keeps_the_old_version(org, client_for):
    client = client_for(org.manager_a)
    client.post(NEW_CHECKLIST, checklist_post(org.seller_a, ALL_OBS))
    checklist = Checklist.objects.get()
    before = checklist.observed_at
    data = checklist_post(org.seller_a, ALL_OBS)
    data["observed_at"] = YEAR_ONE
    response = client.post(reverse("observations:checklist_edit", args=[checklist.pk]), data)
    assert response.status_code == 200 and response.context["form"].errors["observed_at"]
    checklist.refresh_from_db()
    assert checklist.observed_at == before and checklist.revisions.count() == 0


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"window_start_date": "0001-01-01"}, "window_start_date"),
        ({"window_start_date": "1999-12-31"}, "window_start_date"),
        ({"window_end_date": "9999-12-31"}, "window_end_date"),
        ({"window_end_date": "__far__"}, "window_end_date"),
    ],
)
def test_a_plan_window_outside_the_range_is_refused(org, client_for, fields, field):
    if fields.get("window_end_date") == "__far__":
        fields = {"window_end_date": (timezone.localdate() + timedelta(days=400)).isoformat()}
    data = plan_post(salesperson=org.seller_a.pk, **fields)
    response = client_for(org.manager_a).post(NEW_PLAN, data)
    assert response.status_code == 200 and response.context["form"].errors[field]
    assert MysteryPlan.objects.count() == 0


def test_a_plan_may_lie_in_the_future(org, client_for):
    start = timezone.localdate() + timedelta(days=30)
    data = plan_post(
        salesperson=org.seller_a.pk,
        window_start_date=start.isoformat(),
        window_end_date=(start + timedelta(days=30)).isoformat(),
    )
    assert client_for(org.manager_a).post(NEW_PLAN, data).status_code == 302
    assert MysteryPlan.objects.get().window_start_date == start


def test_a_shopper_cannot_date_the_visit_year_one(org, client):
    plan = MysteryPlanFactory(salesperson=org.seller_a)
    data = shopper_post(ALL_MYS)
    data["visited_at"] = YEAR_ONE
    url = reverse("observations_public:mystery_form", args=[plan.token])
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["form"].errors["visited_at"]
    assert MysteryTest.objects.count() == 0 and Submission.objects.count() == 0


@pytest.mark.parametrize("start_date", ["0001-01-01", "1999-12-31"])
def test_an_export_from_before_2000_is_refused(org, client_for, start_date):
    client = client_for(org.leader)
    response = client.get(reverse("reports:export_answers_csv"), {"start_date": start_date})
    assert response.status_code == 400
    assert "Päivämäärä ei voi olla ennen 1.1.2000." in response.content.decode()


def test_an_export_ending_in_the_future_is_refused(org, client_for):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(org.leader).get(
        reverse("reports:exports"), {"end_date": tomorrow.isoformat()}
    )
    assert response.status_code == 400
    assert "Päivämäärä ei voi olla tulevaisuudessa." in response.content.decode()


def test_a_list_filter_from_year_one_is_ignored(org, client_for):
    ChecklistFactory(salesperson=org.seller_a, author=org.manager_a)
    response = client_for(org.manager_a).get(
        reverse("observations:checklist_list"), {"date_from": "0001-01-01", "date_to": "9999-12-31"}
    )
    assert response.status_code == 200 and len(response.context["page"]) == 1


YEAR_ONE_AT = datetime(1, 1, 2, tzinfo=UTC)


@pytest.mark.parametrize(
    "make",
    [
        lambda org: ChecklistFactory(
            salesperson=org.seller_a, author=org.manager_a, observed_at=YEAR_ONE_AT
        ),
        lambda org: Submission.objects.create(
            organisation=org.organisation,
            method=Method.CUSTOMER,
            team=org.team_a,
            answered_at=YEAR_ONE_AT,
        ),
        lambda org: MysteryPlanFactory(
            salesperson=org.seller_a,
            window_start_date=date(1, 1, 1),
            window_end_date=date(2099, 1, 1),
        ),
        lambda org: MysteryTest.objects.create(
            plan=MysteryPlanFactory(salesperson=org.seller_a), visited_at=YEAR_ONE_AT
        ),
        lambda org: ChecklistFactory(
            salesperson=org.seller_a,
            author=org.manager_a,
            observed_at=datetime(2100, 1, 1, tzinfo=UTC),
        ),
    ],
    ids=["checklist", "submission", "plan", "mystery-test", "checklist-2100"],
)
def test_the_database_refuses_a_date_outside_the_range(org, make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make(org)


def test_the_admin_form_gets_the_constraints_message(org):
    checklist = ChecklistFactory.build(
        salesperson=org.seller_a,
        author=org.manager_a,
        observed_at=YEAR_ONE_AT,
        idempotency_key=uuid.uuid4(),
    )
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        checklist.full_clean()
    assert "The date is outside the accepted range." in str(refused.value)


def test_the_pages_that_list_checklists_keep_working_after_a_refused_post(org, client_for):
    """The attack: post a year-one checklist, then open the pages that broke on PostgreSQL."""
    client = client_for(org.manager_a)
    client.post(NEW_CHECKLIST, checklist_post(org.seller_a, ALL_OBS))
    data = checklist_post(org.seller_a, ALL_OBS)
    data["observed_at"] = YEAR_ONE
    client.post(NEW_CHECKLIST, data)
    checklist = Checklist.objects.get()
    for url in [
        reverse("observations:checklist_list"),
        checklist.get_absolute_url(),
        reverse("observations:salesperson_history", args=[org.seller_a.pk]),
        reverse("reports:export_answers_csv"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        response.getvalue()
