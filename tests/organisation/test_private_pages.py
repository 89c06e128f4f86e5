"""A signed-in user's pages and files (dashboards, exports, a salesperson's grades) carry
``Cache-Control: no-store``: no browser history or shared proxy keeps them."""

import pytest
from django.urls import reverse


@pytest.fixture
def private_urls(org):
    return [
        reverse("home"),
        reverse("reports:dashboard"),
        reverse("reports:team_dashboard", args=[org.team_a.pk]),
        reverse("reports:person", args=[org.seller_a.pk]),
        reverse("reports:exports"),
        reverse("reports:export_answers_csv"),
        reverse("reports:export_answers_xlsx"),
        reverse("reports:export_grades_csv"),
        reverse("reports:export_grades_xlsx"),
    ]


def test_dashboards_and_exports_are_never_stored(org, client_for, private_urls):
    client = client_for(org.leader)
    for url in private_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= directives, (url, response["Cache-Control"])


def test_a_public_page_for_an_anonymous_visitor_is_left_alone(db, client):
    response = client.get(reverse("surveys_public:thanks"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
