"""Every staff URL of surveys as a role table: managers only their own teams (404 otherwise),
leadership all, salespeople 403, anonymous to the login page."""

import pytest
from django.urls import reverse

from surveys.models import FollowUp
from tests.factories import Method, submit
from tests.surveys.factories import SurveyLinkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(org):
    link_a = SurveyLinkFactory(salesperson=org.seller_a)
    team_link_b = SurveyLinkFactory(team=org.team_b)
    submission = submit(org.seller_b, Method.CUSTOMER, {"CUS3": 1})
    follow_up_b = FollowUp.objects.create(
        organisation=org.organisation, submission=submission, team=org.team_b,
        salesperson=org.seller_b, reason="CUS3=1", answered_at=submission.answered_at,
    )  # fmt: skip
    return {"link_a": link_a, "link_b": team_link_b, "follow_up_b": follow_up_b}


PAGES = [
    ("links", None),
    ("invitations", None),
    ("follow_ups", None),
    ("link_qr_png", "link_a"),
    ("link_qr_svg", "link_a"),
    ("link_print", "link_a"),
    ("link_qr_png", "link_b"),
    ("link_qr_svg", "link_b"),
    ("link_print", "link_b"),
    ("follow_up", "follow_up_b"),
]
# role → expected status for a page about team A's object, team B's object, or no object.
EXPECTED = {
    "leader": {None: 200, "link_a": 200, "link_b": 200, "follow_up_b": 200},
    "admin": {None: 200, "link_a": 200, "link_b": 200, "follow_up_b": 200},
    "manager_a": {None: 200, "link_a": 200, "link_b": 404, "follow_up_b": 404},
    "manager_b": {None: 200, "link_a": 404, "link_b": 200, "follow_up_b": 200},
    "seller_a_user": {None: 403, "link_a": 403, "link_b": 403, "follow_up_b": 403},
}


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize(("name", "obj"), PAGES)
def test_each_role_gets_what_it_may_see(client_for, org, objects, role, name, obj):
    args = [objects[obj].pk] if obj else []
    response = client_for(getattr(org, role)).get(reverse(f"surveys:{name}", args=args))
    assert response.status_code == EXPECTED[role][obj]


ACTIONS = [("link_rotate", "link_a"), ("link_toggle", "link_a"), ("link_rotate", "link_b")]


@pytest.mark.parametrize(
    ("role", "name", "obj", "status"),
    [
        ("manager_a", "link_rotate", "link_a", 302),
        ("manager_a", "link_toggle", "link_a", 302),
        ("manager_a", "link_rotate", "link_b", 404),
        ("manager_a", "link_toggle", "link_b", 404),
        ("leader", "link_toggle", "link_b", 302),
        ("seller_a_user", "link_rotate", "link_a", 403),
    ],
)
def test_link_actions_follow_the_same_rules(client_for, org, objects, role, name, obj, status):
    link = objects[obj]
    token = link.token
    response = client_for(getattr(org, role)).post(
        reverse(f"surveys:{name}", args=[link.pk]), {"confirm": "yes"}
    )
    assert response.status_code == status
    link.refresh_from_db()
    if status == 404 or status == 403:
        assert link.token == token and link.active


def test_link_actions_refuse_get(client_for, org, objects):
    client = client_for(org.leader)
    assert (
        client.get(reverse("surveys:link_rotate", args=[objects["link_a"].pk])).status_code == 405
    )


@pytest.mark.parametrize(
    ("role", "field", "target", "status", "created"),
    [
        ("manager_a", "salesperson", "colleague_a", 302, True),
        ("manager_a", "team", "team_a", 302, True),
        ("manager_a", "salesperson", "seller_b", 404, False),
        ("manager_a", "team", "team_b", 404, False),
        ("leader", "salesperson", "seller_b", 302, True),
        ("seller_a_user", "team", "team_a", 403, False),
    ],
)
def test_creating_a_link_follows_the_rules(client_for, org, role, field, target, status, created):
    from surveys.models import SurveyLink

    response = client_for(getattr(org, role)).post(
        reverse("surveys:link_create"), {field: getattr(org, target).pk}
    )
    assert response.status_code == status
    assert SurveyLink.objects.filter(**{field: getattr(org, target)}).exists() == created


def test_a_second_link_for_the_same_salesperson_is_not_made(client_for, org, objects):
    from surveys.models import SurveyLink

    response = client_for(org.manager_a).post(
        reverse("surveys:link_create"), {"salesperson": org.seller_a.pk}
    )
    assert response.status_code == 302
    assert SurveyLink.objects.filter(salesperson=org.seller_a).count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("surveys:links"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_links_page_shows_only_the_managers_team(client_for, org, objects):
    html = client_for(org.manager_a).get(reverse("surveys:links")).content.decode()
    assert "Aino Seller" in html and "Cecilia Colleague" in html
    assert "Bertta Seller" not in html and "Team B" not in html
    assert objects["link_a"].token in html and objects["link_b"].token not in html


def test_the_nav_shows_surveys_to_managers_and_leadership_only(client_for, org):
    assert "Asiakaskyselyt" in client_for(org.manager_a).get(reverse("home")).content.decode()
    assert "Seuranta" in client_for(org.leader).get(reverse("home")).content.decode()
    assert (
        "Asiakaskyselyt" not in client_for(org.seller_a_user).get(reverse("home")).content.decode()
    )
