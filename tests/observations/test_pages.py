"""Lists, the salesperson's history, the home panels and the navigation; query counts pinned."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from asiakaskunto.models import Method
from observations.models import ChecklistStatus

from .factories import ALL_OBS, ChecklistFactory, MysteryPlanFactory, checklist_post


def submit_many(client, seller, count):
    for days in range(count):
        client.post(
            reverse("observations:checklist_create"),
            checklist_post(
                seller, ALL_OBS, observed_at=timezone.localtime() - timedelta(days=days + 1)
            ),
        )


def test_the_checklist_list_filters_and_keeps_its_query_count(
    org, client_for, django_assert_max_num_queries
):
    client = client_for(org.manager_a)
    submit_many(client, org.seller_a, 12)
    submit_many(client, org.colleague_a, 3)
    url = reverse("observations:checklist_list")
    with django_assert_max_num_queries(9):
        page = client.get(url).content.decode()
    assert page.count("Aino Seller") >= 12
    page = client.get(url, {"salesperson": org.colleague_a.pk}).content.decode()
    assert page.count("list-group-item list-group-item-action") == 3
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    page = client.get(url, {"date_from": yesterday, "date_to": yesterday}).content.decode()
    assert page.count("list-group-item list-group-item-action") == 2
    page = client.get(url, {"status": "DRAFT"}).content.decode()
    assert "Ei hakua vastaavia havainnointeja." in page
    assert client.get(url, {"date_from": "not-a-date"}).status_code == 200
    assert client.get(url, {"salesperson": "x"}).status_code == 200


def test_a_salespersons_history_shows_checklists_and_tests(
    org, client_for, django_assert_max_num_queries
):
    client = client_for(org.manager_a)
    submit_many(client, org.seller_a, 8)
    url = reverse("observations:salesperson_history", args=[org.seller_a.pk])
    with django_assert_max_num_queries(13):
        page = client.get(url).content.decode()
    assert "Havainnointihistoria" in page and "Irtoaako asiakashymy…" in page
    assert "Millaiset ovat myyjän…" in page


def test_a_managers_home_shows_drafts_and_upcoming_and_overdue_visits(org, client_for):
    ChecklistFactory(salesperson=org.colleague_a, author=org.manager_a)
    today = timezone.localdate()
    MysteryPlanFactory(salesperson=org.seller_a)
    MysteryPlanFactory(
        salesperson=org.colleague_a,
        window_start_date=today - timedelta(days=9),
        window_end_date=today - timedelta(days=2),
    )
    MysteryPlanFactory(salesperson=org.seller_b)
    page = client_for(org.manager_a).get(reverse("home")).content.decode()
    assert "Viimeisteltävät luonnokset" in page
    assert "Cecilia Colleague" in page  # the draft and the overdue visit
    assert "Tulevat haamuasiakaskäynnit" in page and "Aino Seller" in page
    assert "Vanhentuneet ilman tulosta" in page
    assert "Bertta Seller" not in page
    assert 'data-testid="nav-observations"' in page and "Haamuasiakkaat" in page


def test_leadership_home_counts_this_month(org, client_for):
    ChecklistFactory(
        salesperson=org.seller_b,
        author=org.manager_b,
        status=ChecklistStatus.SUBMITTED,
        submitted_at=timezone.now(),
        observed_at=timezone.now(),
    )
    MysteryPlanFactory(salesperson=org.seller_a)
    page = client_for(org.leader).get(reverse("home")).content.decode()
    assert 'data-testid="count-checklists">1<' in page
    assert 'data-testid="count-planned">1<' in page


def test_a_salesperson_sees_no_observation_navigation(org, client_for):
    page = client_for(org.seller_a_user).get(reverse("home")).content.decode()
    assert 'data-testid="nav-observations"' not in page


def test_the_method_of_checklists_is_observation(org, client_for):
    client_for(org.manager_a).post(
        reverse("observations:checklist_create"), checklist_post(org.seller_a, ALL_OBS)
    )
    from asiakaskunto.models import Submission

    assert Submission.objects.get().method == Method.OBSERVATION
