"""Recurring mystery-shop schedules: each period's plans generated once, with the period as
their window; the visits whose window passed without a test show as overdue."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from asiakaskunto.models import Role
from observations.models import (
    Frequency,
    MysteryPlan,
    MysteryScenario,
    MysterySchedule,
    period_of,
)
from observations.schedules import generate_all, generate_plans
from observations.services import cancel_plan
from observations.templatetags.observations_tags import observations_overdue_panel
from tests.factories import OrganisationFactory, SalespersonFactory, TeamFactory, make_user

from .factories import ALL_MYS, MysteryPlanFactory, mystery_post

NEW = reverse("observations:schedule_create")
PROGRAMME = reverse("observations:programme")


def schedule_for(org, **fields):
    values = {
        "organisation": org.organisation,
        "team": org.team_a,
        "frequency": Frequency.QUARTER,
        "starts_on": date(2026, 1, 1),
        "created_by": org.leader,
    }
    values.update(fields)
    return MysterySchedule.objects.create(**values)


@pytest.mark.parametrize(
    ("day", "frequency", "period"),
    [
        (date(2026, 2, 14), Frequency.MONTH, (date(2026, 2, 1), date(2026, 2, 28))),
        (date(2028, 2, 29), Frequency.MONTH, (date(2028, 2, 1), date(2028, 2, 29))),
        (date(2026, 12, 31), Frequency.MONTH, (date(2026, 12, 1), date(2026, 12, 31))),
        (date(2026, 1, 1), Frequency.QUARTER, (date(2026, 1, 1), date(2026, 3, 31))),
        (date(2026, 5, 20), Frequency.QUARTER, (date(2026, 4, 1), date(2026, 6, 30))),
        (date(2026, 12, 1), Frequency.QUARTER, (date(2026, 10, 1), date(2026, 12, 31))),
        (date(2026, 6, 30), Frequency.HALF_YEAR, (date(2026, 1, 1), date(2026, 6, 30))),
        (date(2026, 7, 1), Frequency.HALF_YEAR, (date(2026, 7, 1), date(2026, 12, 31))),
    ],
)
def test_a_period_is_the_calendar_month_quarter_or_half_year(day, frequency, period):
    assert period_of(day, frequency) == period


def test_one_visit_per_active_salesperson_of_the_team_with_the_quarter_as_window(org):
    SalespersonFactory(team=org.team_a, name="Former", active=False)
    schedule = schedule_for(org)
    assert generate_plans(schedule, today=date(2026, 5, 20)) == 2
    plans = MysteryPlan.objects.filter(schedule=schedule).order_by("salesperson__name")
    assert [plan.salesperson for plan in plans] == [org.seller_a, org.colleague_a]
    for plan in plans:
        assert (plan.window_start_date, plan.window_end_date) == (
            date(2026, 4, 1),
            date(2026, 6, 30),
        )
        assert plan.team == org.team_a and plan.period_start == date(2026, 4, 1)
        assert timezone.localtime(plan.expires_at).date() == date(2026, 7, 1)
        assert plan.created_by == org.leader


def test_generating_twice_creates_nothing_new(org):
    schedule = schedule_for(org)
    generate_plans(schedule, today=date(2026, 5, 20))
    tokens = set(MysteryPlan.objects.values_list("token", flat=True))
    assert generate_plans(schedule, today=date(2026, 5, 20)) == 0
    assert generate_plans(schedule, today=date(2026, 6, 30)) == 0
    assert generate_all(today=date(2026, 4, 1)) == 0
    assert set(MysteryPlan.objects.values_list("token", flat=True)) == tokens


def test_a_used_or_cancelled_visit_is_not_made_again(org):
    schedule = schedule_for(org)
    generate_plans(schedule, today=date(2026, 5, 20))
    cancel_plan(MysteryPlan.objects.first(), now=timezone.now())
    assert generate_plans(schedule, today=date(2026, 5, 21)) == 0


def test_the_next_period_and_a_newcomer_get_their_visits(org):
    schedule = schedule_for(org)
    generate_plans(schedule, today=date(2026, 5, 20))
    newcomer = SalespersonFactory(team=org.team_a, name="Newcomer")
    assert generate_plans(schedule, today=date(2026, 5, 21)) == 1
    assert MysteryPlan.objects.get(salesperson=newcomer).window_end_date == date(2026, 6, 30)
    assert generate_plans(schedule, today=date(2026, 7, 1)) == 3
    assert MysteryPlan.objects.filter(period_start=date(2026, 7, 1)).count() == 3


def test_an_organisation_wide_schedule_covers_every_team(org):
    schedule = schedule_for(org, team=None, frequency=Frequency.MONTH)
    assert generate_plans(schedule, today=date(2026, 3, 3)) == 3
    assert set(MysteryPlan.objects.values_list("team", flat=True)) == {
        org.team_a.pk,
        org.team_b.pk,
    }
    other = OrganisationFactory(name="Muu Oy")
    SalespersonFactory(team=TeamFactory(organisation=other, name="X"), name="Stranger")
    assert not MysteryPlan.objects.filter(salesperson__name="Stranger").exists()


def test_nothing_before_the_start_and_the_window_starts_with_the_schedule(org):
    schedule = schedule_for(org, starts_on=date(2026, 5, 10))
    assert generate_plans(schedule, today=date(2026, 5, 9)) == 0
    generate_plans(schedule, today=date(2026, 5, 10))
    assert {plan.window_start_date for plan in MysteryPlan.objects.all()} == {date(2026, 5, 10)}


def test_a_schedule_not_in_use_generates_nothing(org):
    schedule = schedule_for(org, active=False)
    assert generate_plans(schedule, today=date(2026, 5, 20)) == 0
    assert generate_all(today=date(2026, 5, 20)) == 0


def test_the_plans_carry_the_schedules_scenario(org):
    scenario = MysteryScenario.objects.create(
        organisation=org.organisation, name="Lahja", instructions_fi="Pyydä lahjaa."
    )
    generate_plans(schedule_for(org, scenario=scenario), today=date(2026, 5, 20))
    assert {plan.scenario for plan in MysteryPlan.objects.all()} == {scenario}


def test_the_daily_command_generates_through_the_task(org):
    schedule_for(org)
    schedule_for(org, team=org.team_b, frequency=Frequency.MONTH)
    out = StringIO()
    call_command("generate_mystery_plans", "--date", "2026-05-20", stdout=out)
    assert "Plans generated: 3" in out.getvalue()
    call_command("generate_mystery_plans", "--date", "2026-05-20", stdout=out)
    assert "Plans generated: 0" in out.getvalue()
    assert MysteryPlan.objects.count() == 3


def schedule_post(org, **fields):
    data = {
        "team": org.team_a.pk,
        "frequency": Frequency.QUARTER,
        "scenario": "",
        "starts_on": timezone.localdate().isoformat(),
        "active": "on",
    }
    data.update(fields)
    return data


def test_leadership_saves_a_schedule_and_this_periods_visits_are_planned(org, client_for):
    client = client_for(org.leader)
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, schedule_post(org), follow=True)
    schedule = MysterySchedule.objects.get()
    assert schedule.organisation == org.organisation and schedule.created_by == org.leader
    assert MysteryPlan.objects.filter(schedule=schedule).count() == 2
    assert "2 käyntiä suunniteltu tälle jaksolle" in response.content.decode()
    edit = reverse("observations:schedule_edit", args=[schedule.pk])
    client.post(edit, schedule_post(org))  # saved again: nothing new
    assert MysteryPlan.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"starts_on": ""}, "starts_on", "Anna päivä, jona aikataulu alkaa."),
        ({"starts_on": "14.14.2026"}, "starts_on", "Anna päivämäärä muodossa 2026-03-14."),
        ({"starts_on": "0001-01-01"}, "starts_on", "Päivämäärä ei voi olla ennen"),
        ({"frequency": "WEEK"}, "frequency", "Valitse kuukausittain, neljännesvuosittain"),
        ({"team": "999999"}, "team", "Valitse jokin tiimeistä."),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(org, client_for, fields, field, message):
    response = client_for(org.leader).post(NEW, schedule_post(org, **fields))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert not MysterySchedule.objects.exists() and not MysteryPlan.objects.exists()


def test_another_organisations_team_or_scenario_cannot_be_chosen(org, client_for):
    other = OrganisationFactory(name="Muu Oy")
    team = TeamFactory(organisation=other, name="Vieras")
    scenario = MysteryScenario.objects.create(organisation=other, name="X", instructions_fi="x")
    client = client_for(org.leader)
    client.post(NEW, schedule_post(org, team=team.pk))
    client.post(NEW, schedule_post(org, scenario=scenario.pk))
    assert not MysterySchedule.objects.exists() and not MysteryPlan.objects.exists()


@pytest.mark.parametrize("who", ["manager_a", "seller_a_user", None, "stranger"])
def test_only_the_organisations_leadership_writes_schedules(org, client_for, who):
    schedule = schedule_for(org)
    if who == "stranger":
        user = make_user(OrganisationFactory(name="Muu Oy"), Role.LEADERSHIP, username="s")
    else:
        user = getattr(org, who) if who else None
    client = client_for(user)
    edit = reverse("observations:schedule_edit", args=[schedule.pk])
    expected = {"manager_a": 403, "seller_a_user": 403, None: 302, "stranger": 404}[who]
    assert client.post(edit, schedule_post(org, active="")).status_code == expected
    if who != "stranger":
        assert client.post(NEW, schedule_post(org)).status_code == expected
    schedule.refresh_from_db()
    assert schedule.active and MysterySchedule.objects.count() == 1
    assert not MysteryPlan.objects.exists()


def overdue_visit(org, person):
    today = timezone.localdate()
    schedule = schedule_for(org, starts_on=today - timedelta(days=400))
    return MysteryPlanFactory(
        salesperson=person,
        schedule=schedule,
        window_start_date=today - timedelta(days=40),
        window_end_date=today - timedelta(days=5),
    )


def test_a_visit_whose_window_passed_without_a_test_is_overdue(org, client_for):
    overdue = overdue_visit(org, org.seller_a)
    MysteryPlanFactory(salesperson=org.colleague_a)  # still open
    done = MysteryPlanFactory(salesperson=org.colleague_a)
    shopper = client_for(None)
    shopper.post(
        reverse("observations_public:mystery_form", args=[done.token]), mystery_post(ALL_MYS)
    )
    cancelled = overdue_visit(org, org.colleague_a)
    cancel_plan(cancelled, now=timezone.now())
    panel = observations_overdue_panel(org.team_a)
    assert (panel["overdue_count"], panel["overdue_visits"]) == (1, [overdue])
    assert observations_overdue_panel(org.team_b)["overdue_count"] == 0


def test_the_team_dashboard_and_the_managers_home_show_the_overdue_visits(org, client_for):
    overdue = overdue_visit(org, org.seller_a)
    client = client_for(org.manager_a)
    team_page = client.get(reverse("reports:team_dashboard", args=[org.team_a.pk]))
    html = team_page.content.decode()
    assert overdue.get_absolute_url() in html and "neljännesvuosittain" in html
    home = client.get(reverse("home")).content.decode()
    assert overdue.get_absolute_url() in home
    other_home = client_for(org.manager_b).get(reverse("home")).content.decode()
    assert overdue.get_absolute_url() not in other_home


def test_the_programme_page_with_schedules_reads_a_bounded_number_of_queries(
    org, client_for, django_assert_max_num_queries
):
    for team in (org.team_a, org.team_b):
        for frequency in Frequency.values:
            generate_plans(
                schedule_for(org, team=team, frequency=frequency), today=date(2026, 5, 20)
            )
    client = client_for(org.leader)
    with django_assert_max_num_queries(12):
        response = client.get(PROGRAMME)
    assert response.status_code == 200
    assert len(response.context["schedules"]) == 6


def test_a_schedule_with_plans_keeps_its_team_length_and_start(org, client_for):
    schedule = schedule_for(org, starts_on=timezone.localdate())
    generate_plans(schedule, today=timezone.localdate())
    before = MysteryPlan.objects.count()
    edit = reverse("observations:schedule_edit", args=[schedule.pk])
    response = client_for(org.leader).post(
        edit, schedule_post(org, team=org.team_b.pk, frequency=Frequency.MONTH, active="")
    )
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert (schedule.team, schedule.frequency, schedule.active) == (
        org.team_a,
        Frequency.QUARTER,
        False,
    )
    assert MysteryPlan.objects.count() == before


def test_the_schedule_form_reads_a_bounded_number_of_queries(
    org, client_for, django_assert_max_num_queries
):
    for number in range(8):
        MysteryScenario.objects.create(
            organisation=org.organisation, name=f"S{number}", instructions_fi="x"
        )
    schedule = schedule_for(org)
    client = client_for(org.leader)
    for page in (NEW, reverse("observations:schedule_edit", args=[schedule.pk])):
        with django_assert_max_num_queries(9):
            assert client.get(page).status_code == 200
