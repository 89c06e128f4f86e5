"""The shopper's single-use link: unused → used, expired, cancelled, tampered; bad input."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from asiakaskunto.models import SCORING_COLUMNS, Answer, Method, Submission
from observations.models import MysteryTest, PlanStatus

from .factories import ALL_MYS, MysteryPlanFactory, mystery_post


def link(plan):
    return reverse("observations_public:mystery_form", args=[plan.token])


def nothing_stored():
    return (
        MysteryTest.objects.count() == 0
        and Submission.objects.count() == 0
        and Answer.objects.count() == 0
    )


@pytest.fixture
def plan(org):
    return MysteryPlanFactory(salesperson=org.seller_a, instructions="Kysy takuusta.")


def test_opening_the_link_shows_the_form_and_does_not_use_it_up(org, plan, client_for):
    client = client_for(None)
    for _ in range(2):
        response = client.get(link(plan))
        assert response.status_code == 200
    page = response.content.decode()
    assert "Kysy takuusta." in page and "Miksi?" in page
    plan.refresh_from_db()
    assert plan.used_at is None and plan.status == PlanStatus.PLANNED


def test_the_shopper_submits_once_and_the_link_is_used(org, plan, client_for):
    client = client_for(None)
    why = {"MYS1": "Tunsi tuotteet hyvin", "MYS3": "Kuunteli tarkasti"}
    response = client.post(link(plan), mystery_post(ALL_MYS, why=why))
    assert response.status_code == 302
    assert response.url == reverse("observations_public:thanks")
    test = MysteryTest.objects.get()
    assert test.plan == plan and test.salesperson == org.seller_a
    submission = test.submission
    assert submission.method == Method.MYSTERY_SHOP and submission.team == org.team_a
    assert {a.question.code: (a.value, a.why) for a in submission.answers.all()} == {
        "MYS1": (4, "Tunsi tuotteet hyvin"),
        "MYS2": (3, ""),
        "MYS3": (5, "Kuunteli tarkasti"),
    }
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DONE

    again = client.post(link(plan), mystery_post(ALL_MYS))
    assert again.status_code == 410
    assert "Tähän testiin on jo vastattu" in again.content.decode()
    assert client.get(link(plan)).status_code == 410
    assert MysteryTest.objects.count() == 1 and Submission.objects.count() == 1


def test_the_completed_test_is_in_the_scoring_table(org, plan, client_for):
    client_for(None).post(link(plan), mystery_post(ALL_MYS, why={"MYS2": "Ratkaisi"}))
    rows = [
        dict(zip(SCORING_COLUMNS, row, strict=True))
        for row in Answer.objects.for_organisation(org.organisation).scoring_rows()
    ]
    assert {(r["method"], r["area"], r["question"], r["value"]) for r in rows} == {
        ("MYSTERY_SHOP", "KNOWLEDGE", "MYS1", 4),
        ("MYSTERY_SHOP", "SKILLS", "MYS2", 3),
        ("MYSTERY_SHOP", "ATTITUDE", "MYS3", 5),
    }
    assert {r["salesperson"] for r in rows} == {org.seller_a.pk}
    assert next(r for r in rows if r["question"] == "MYS2")["why"] == "Ratkaisi"


def test_an_expired_link_shows_a_clear_page_and_stores_nothing(org, client_for):
    today = timezone.localdate()
    plan = MysteryPlanFactory(
        salesperson=org.seller_a,
        window_start_date=today - timedelta(days=10),
        window_end_date=today - timedelta(days=1),
    )
    client = client_for(None)
    response = client.get(link(plan))
    assert response.status_code == 410
    assert "Tämä linkki on vanhentunut" in response.content.decode()
    response = client.post(link(plan), mystery_post(ALL_MYS))
    assert response.status_code == 410 and nothing_stored()


def test_the_link_works_until_the_end_of_the_windows_last_day(org, client_for):
    plan = MysteryPlanFactory(salesperson=org.seller_a, window_end_date=timezone.localdate())
    assert client_for(None).get(link(plan)).status_code == 200


def test_a_cancelled_link_shows_a_clear_page_and_stores_nothing(org, plan, client_for):
    plan.cancelled_at = timezone.now()
    plan.save()
    client = client_for(None)
    assert "Tämä käynti on peruttu" in client.get(link(plan)).content.decode()
    assert client.post(link(plan), mystery_post(ALL_MYS)).status_code == 410
    assert nothing_stored()


@pytest.mark.parametrize(
    "mangle", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: t[:20], lambda t: t * 3]
)
def test_a_tampered_token_finds_nothing(org, plan, client_for, mangle):
    url = reverse("observations_public:mystery_form", args=[mangle(plan.token)])
    client = client_for(None)
    response = client.get(url)
    assert response.status_code == 404
    assert "Tämä linkki ei kelpaa" in response.content.decode()
    assert client.post(url, mystery_post(ALL_MYS)).status_code == 404
    assert nothing_stored()


def test_the_public_page_follows_the_browsers_language(org, plan, client_for):
    page = client_for(None).get(link(plan), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Varför?" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"values": {**ALL_MYS, "MYS1": "7"}}, "Valitse arvo väliltä 1–5."),
        ({"values": {"MYS1": 4}}, "Vastaa tähän kysymykseen."),
        (
            {"visited_at": timezone.localtime() + timedelta(days=2)},
            "Aika ei voi olla tulevaisuudessa.",
        ),
        (
            {"visited_at": timezone.localtime() - timedelta(days=30)},
            "Käynti ei voi olla ennen suunniteltua käyntiaikaa",
        ),
    ],
)
def test_bad_answers_get_a_clear_message_and_keep_the_link(org, plan, client_for, change, message):
    values = change.pop("values", ALL_MYS)
    response = client_for(None).post(link(plan), mystery_post(values, **change))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert nothing_stored()
    plan.refresh_from_db()
    assert plan.used_at is None


def test_on_a_team_plan_the_shopper_names_whom_they_met(org, client_for):
    plan = MysteryPlanFactory(team=org.team_a, salesperson=None)
    client = client_for(None)
    page = client.get(link(plan)).content.decode()
    assert "Cecilia Colleague" in page and "Bertta Seller" not in page
    bad = client.post(link(plan), mystery_post(ALL_MYS, met_salesperson=org.seller_b.pk))
    assert "Valitse joku luettelon henkilöistä." in bad.content.decode() and nothing_stored()
    client.post(link(plan), mystery_post(ALL_MYS, met_salesperson=org.colleague_a.pk))
    submission = Submission.objects.get()
    assert submission.salesperson == org.colleague_a and submission.team == org.team_a


def test_on_a_team_plan_an_unknown_salesperson_counts_for_the_team(org, client_for):
    plan = MysteryPlanFactory(team=org.team_a, salesperson=None)
    client_for(None).post(
        link(plan), mystery_post(ALL_MYS, met_salesperson="", met_description="Punainen paita")
    )
    test = MysteryTest.objects.get()
    assert test.salesperson is None and test.salesperson_description == "Punainen paita"
    assert Submission.objects.get().team == org.team_a


def test_the_manager_sees_the_result_on_the_plan_page(org, plan, client_for):
    client_for(None).post(link(plan), mystery_post(ALL_MYS, why={"MYS1": "Osasi kertoa"}))
    page = client_for(org.manager_a).get(plan.get_absolute_url()).content.decode()
    assert "Osasi kertoa" in page and "Tehty" in page


def test_a_flood_of_posts_from_one_address_is_stopped(org, plan, client_for, monkeypatch):
    from observations.views import public

    monkeypatch.setattr(public, "RATE_LIMIT_POSTS", 3)
    client = client_for(None)
    bad = mystery_post({"MYS1": "9"})
    codes = [client.post(link(plan), bad).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert nothing_stored()
