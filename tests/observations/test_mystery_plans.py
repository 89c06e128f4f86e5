"""Planning a mystery-shopper visit: the form, its link, the e-mail, status and cancelling."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from observations.models import MysteryPlan, PlanStatus

from .factories import MysteryPlanFactory

NEW = reverse("observations:plan_create")


def plan_post(**fields):
    today = timezone.localdate()
    data = {
        "salesperson": "",
        "team": "",
        "window_start_date": today.isoformat(),
        "window_end_date": (today + timedelta(days=14)).isoformat(),
        "shopper_name": "Sari Shopper",
        "shopper_email": "sari@example.com",
        "instructions": "Kysy kahvinkeittimistä.",
    }
    data.update(fields)
    return data


def test_a_manager_plans_a_visit_and_gets_an_unguessable_link(org, client_for):
    client = client_for(org.manager_a)
    response = client.post(NEW, plan_post(salesperson=org.seller_a.pk))
    plan = MysteryPlan.objects.get()
    assert response.url == plan.get_absolute_url()
    assert plan.team == org.team_a and plan.created_by == org.manager_a
    assert len(plan.token) >= 43  # 32 random bytes, base64: 256 bits
    assert plan.status == PlanStatus.PLANNED
    end = timezone.localtime(plan.expires_at)
    assert end.date() == plan.window_end_date + timedelta(days=1) and end.hour == 0
    page = client.get(response.url).content.decode()
    assert f"http://testserver/m/{plan.token}/" in page
    assert len(mail.outbox) == 0


def test_two_plans_never_share_a_token(org):
    tokens = {MysteryPlanFactory(salesperson=org.seller_a).token for _ in range(20)}
    assert len(tokens) == 20


def test_a_team_plan_leaves_the_salesperson_to_the_shopper(org, client_for):
    client_for(org.manager_a).post(NEW, plan_post(team=org.team_a.pk))
    plan = MysteryPlan.objects.get()
    assert plan.salesperson is None and plan.team == org.team_a


def test_the_link_goes_by_e_mail_with_an_absolute_url(
    org, client_for, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://asiakaskunto.example"
    client = client_for(org.manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, plan_post(salesperson=org.seller_a.pk, send_email="on"))
    plan = MysteryPlan.objects.get()
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sari@example.com"]
    assert f"https://asiakaskunto.example/m/{plan.token}/" in message.body
    assert "Kysy kahvinkeittimistä." in message.body
    plan.refresh_from_db()
    assert plan.emailed_at is not None


def test_the_link_can_be_sent_again_from_the_plan_page(
    org, client_for, django_capture_on_commit_callbacks
):
    plan = MysteryPlanFactory(salesperson=org.seller_a)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(org.manager_a).post(reverse("observations:plan_send", args=[plan.pk]))
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Valitse myyjä tai tiimi."),
        ({"salesperson": "seller_b"}, "Valitse myyjä omista tiimeistäsi."),
        ({"team": "team_b"}, "Valitse jokin omista tiimeistäsi."),
        (
            {"salesperson": "seller_a", "window_end_date": "2000-01-01"},
            "Käyntiaika ei voi päättyä ennen kuin se alkaa.",
        ),
        (
            {
                "salesperson": "seller_a",
                "window_start_date": "2000-01-01",
                "window_end_date": "2000-01-02",
            },
            "Käyntiaika ei voi päättyä menneisyydessä.",
        ),
        (
            {"salesperson": "seller_a", "shopper_email": "", "send_email": "on"},
            "Anna sähköpostiosoite, johon linkki lähetetään.",
        ),
        ({"salesperson": "seller_a", "shopper_email": "ei-osoite"}, "Anna kelvollinen"),
        ({"salesperson": "seller_a", "window_start_date": ""}, "Anna käyntiajan ensimmäinen"),
    ],
)
def test_bad_plans_get_a_clear_message_and_save_nothing(org, client_for, fields, message):
    fields = {
        key: getattr(org, value).pk if value in ("seller_a", "seller_b", "team_b") else value
        for key, value in fields.items()
    }
    response = client_for(org.manager_a).post(NEW, plan_post(**fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert MysteryPlan.objects.count() == 0 and len(mail.outbox) == 0


def test_a_salesperson_outside_the_chosen_team_is_refused(org, client_for):
    response = client_for(org.leader).post(
        NEW, plan_post(salesperson=org.seller_a.pk, team=org.team_b.pk)
    )
    assert "Tämä myyjä ei kuulu valittuun tiimiin." in response.content.decode()
    assert MysteryPlan.objects.count() == 0


def test_cancelling_closes_the_link_once(org, client_for):
    plan = MysteryPlanFactory(salesperson=org.seller_a)
    client = client_for(org.manager_a)
    url = reverse("observations:plan_cancel", args=[plan.pk])
    client.post(url)
    plan.refresh_from_db()
    cancelled_at = plan.cancelled_at
    assert plan.status == PlanStatus.CANCELLED
    client.post(url)
    plan.refresh_from_db()
    assert plan.cancelled_at == cancelled_at


def test_the_list_filters_by_status(org, client_for):
    today = timezone.localdate()
    MysteryPlanFactory(salesperson=org.seller_a, shopper_name="Planned Pia")
    MysteryPlanFactory(
        salesperson=org.seller_a,
        shopper_name="Expired Eero",
        window_start_date=today - timedelta(days=20),
        window_end_date=today - timedelta(days=10),
    )
    MysteryPlanFactory(
        salesperson=org.colleague_a, shopper_name="Cancelled Cia", cancelled_at=timezone.now()
    )
    client = client_for(org.manager_a)
    url = reverse("observations:plan_list")
    for status, name in [
        ("PLANNED", "Planned Pia"),
        ("EXPIRED", "Expired Eero"),
        ("CANCELLED", "Cancelled Cia"),
    ]:
        page = client.get(url, {"status": status}).content.decode()
        assert name in page
        assert sum(n in page for n in ("Planned Pia", "Expired Eero", "Cancelled Cia")) == 1
    page = client.get(url, {"salesperson": org.colleague_a.pk}).content.decode()
    assert "Cancelled Cia" in page and "Planned Pia" not in page


def test_the_plan_list_needs_a_bounded_number_of_queries(
    org, client_for, django_assert_max_num_queries
):
    for _ in range(10):
        MysteryPlanFactory(salesperson=org.seller_a)
    client = client_for(org.manager_a)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("observations:plan_list")).status_code == 200
