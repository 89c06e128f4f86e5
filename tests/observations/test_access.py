"""Who may open which page: another team's manager gets 404 everywhere; a salesperson 403."""

import pytest
from django.urls import reverse
from django.utils import timezone

from observations.models import ChecklistStatus

from .factories import ChecklistFactory, MysteryPlanFactory


@pytest.fixture
def objects(org):
    checklist = ChecklistFactory(
        salesperson=org.seller_a,
        author=org.manager_a,
        status=ChecklistStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    draft = ChecklistFactory(salesperson=org.seller_a, author=org.manager_a)
    plan = MysteryPlanFactory(salesperson=org.seller_a, created_by=org.manager_a)
    return {"checklist": checklist, "draft": draft, "plan": plan}


def object_urls(objects, org):
    checklist, draft, plan = objects["checklist"], objects["draft"], objects["plan"]
    return [
        ("get", reverse("observations:checklist_detail", args=[checklist.pk])),
        ("get", reverse("observations:checklist_edit", args=[checklist.pk])),
        ("post", reverse("observations:checklist_edit", args=[checklist.pk])),
        ("get", reverse("observations:checklist_edit", args=[draft.pk])),
        ("post", reverse("observations:checklist_delete", args=[draft.pk])),
        ("get", reverse("observations:salesperson_history", args=[org.seller_a.pk])),
        ("get", reverse("observations:plan_detail", args=[plan.pk])),
        ("post", reverse("observations:plan_send", args=[plan.pk])),
        ("post", reverse("observations:plan_cancel", args=[plan.pk])),
    ]


LIST_URLS = [
    "observations:checklist_list",
    "observations:checklist_create",
    "observations:plan_list",
    "observations:plan_create",
]


def test_another_teams_manager_gets_404_on_every_object_url(org, objects, client_for):
    client = client_for(org.manager_b)
    for method, url in object_urls(objects, org):
        assert getattr(client, method)(url).status_code == 404, url
    objects["plan"].refresh_from_db()
    assert objects["plan"].cancelled_at is None


def test_another_teams_manager_sees_none_of_it_in_the_lists(org, objects, client_for):
    client = client_for(org.manager_b)
    for name in ("observations:checklist_list", "observations:plan_list"):
        page = client.get(reverse(name)).content.decode()
        assert "Aino Seller" not in page


def test_a_salesperson_gets_403_on_every_url(org, objects, client_for):
    client = client_for(org.seller_a_user)
    for method, url in object_urls(objects, org):
        assert getattr(client, method)(url).status_code == 403, url
    for name in LIST_URLS:
        assert client.get(reverse(name)).status_code == 403, name


def test_an_anonymous_visitor_is_sent_to_log_in(org, objects, client_for):
    client = client_for(None)
    for name in LIST_URLS:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response.url


def test_a_draft_is_its_authors_own(org, objects, client_for):
    client = client_for(org.leader)
    draft = objects["draft"]
    assert client.get(reverse("observations:checklist_detail", args=[draft.pk])).status_code == 404
    detail = reverse("observations:checklist_detail", args=[objects["checklist"].pk])
    assert client.get(detail).status_code == 200


def test_the_own_manager_and_leadership_open_every_page(org, objects, client_for):
    for user in (org.manager_a, org.leader):
        client = client_for(user)
        for method, url in object_urls(objects, org):
            if method == "get" and not (user == org.leader and "edit" in url and "draft"):
                response = client.get(url)
                assert response.status_code in (200, 404), url
        for name in LIST_URLS:
            assert client.get(reverse(name)).status_code == 200, name
