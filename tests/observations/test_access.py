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


# Every page of the app, by a name: (method, URL name, the object whose pk it takes).
PAGES = {
    "checklist": ("get", "observations:checklist_detail", "checklist"),
    "checklist edit": ("get", "observations:checklist_edit", "checklist"),
    "checklist edit post": ("post", "observations:checklist_edit", "checklist"),
    "draft": ("get", "observations:checklist_detail", "draft"),
    "draft edit": ("get", "observations:checklist_edit", "draft"),
    "draft delete": ("post", "observations:checklist_delete", "draft"),
    "history": ("get", "observations:salesperson_history", "salesperson"),
    "plan": ("get", "observations:plan_detail", "plan"),
    "plan send": ("post", "observations:plan_send", "plan"),
    "plan cancel": ("post", "observations:plan_cancel", "plan"),
    "checklists": ("get", "observations:checklist_list", None),
    "new checklist": ("get", "observations:checklist_create", None),
    "plans": ("get", "observations:plan_list", None),
    "new plan": ("get", "observations:plan_create", None),
}
OBJECT_PAGES = [name for name, (_m, _u, obj) in PAGES.items() if obj]
LIST_PAGES = [name for name, (_m, _u, obj) in PAGES.items() if not obj]

# The exact answer each role gets. A draft is its author's own (leadership does not see it);
# posting the edit form empty shows it again with its errors (200); send and cancel go back to
# the plan, deleting a draft to the list. Another team's manager finds nothing (404), a
# salesperson is refused (403), an anonymous visitor is sent to log in (302).
OWN_MANAGER = {
    "checklist": 200,
    "checklist edit": 200,
    "checklist edit post": 200,
    "draft": 200,
    "draft edit": 200,
    "draft delete": 302,
    "history": 200,
    "plan": 200,
    "plan send": 302,
    "plan cancel": 302,
} | dict.fromkeys(LIST_PAGES, 200)
LEADERSHIP = OWN_MANAGER | {"draft": 404, "draft edit": 404, "draft delete": 404}
EXPECTED = {
    "manager_a": OWN_MANAGER,
    "leader": LEADERSHIP,
    "admin": LEADERSHIP,
    "manager_b": dict.fromkeys(OBJECT_PAGES, 404) | dict.fromkeys(LIST_PAGES, 200),
    "seller_a_user": dict.fromkeys(PAGES, 403),
    None: dict.fromkeys(PAGES, 302),
}
REDIRECTS = {
    "draft delete": lambda objects: reverse("observations:checklist_list"),
    "plan send": lambda objects: objects["plan"].get_absolute_url(),
    "plan cancel": lambda objects: objects["plan"].get_absolute_url(),
}


def test_the_matrix_names_every_page_for_every_role():
    assert all(set(statuses) == set(PAGES) for statuses in EXPECTED.values())


@pytest.mark.parametrize("role", list(EXPECTED), ids=str)
@pytest.mark.parametrize("page_name", list(PAGES))
def test_each_role_gets_the_exact_status_of_each_page(org, objects, client_for, role, page_name):
    method, name, obj = PAGES[page_name]
    target = {**objects, "salesperson": org.seller_a}.get(obj)
    url = reverse(name, args=[target.pk]) if target is not None else reverse(name)
    response = getattr(client_for(getattr(org, role) if role else None), method)(url)
    expected = EXPECTED[role][page_name]
    assert response.status_code == expected, (role, page_name, url)
    if role is None:
        assert response.url.startswith(reverse("login") + "?next=")
    elif expected == 302:
        assert response.url == REDIRECTS[page_name](objects)
    # Only an allowed post changed something; a refusal or a redirect to log in changed nothing.
    allowed = role is not None and expected == 302
    draft_left = type(objects["draft"]).objects.filter(pk=objects["draft"].pk).exists()
    assert draft_left == (not (page_name == "draft delete" and allowed))
    objects["plan"].refresh_from_db()
    cancelled = objects["plan"].cancelled_at is not None
    assert cancelled == (page_name == "plan cancel" and allowed)
