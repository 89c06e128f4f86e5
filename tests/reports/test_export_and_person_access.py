"""Who may open which of the salesperson pages and exports: every role against every URL.

A salesperson sees only their own page and no export (403); a manager their own teams'
people and the exports of their teams; leadership and admins everything; anyone outside a
person's scope gets a 404, not a hint that the person exists."""

import pytest
from django.urls import reverse

EXPORTS = [
    "reports:exports",
    "reports:export_answers_csv",
    "reports:export_answers_xlsx",
    "reports:export_grades_csv",
    "reports:export_grades_xlsx",
]

# role → (own-team person page, other-team person page, exports)
EXPECTED = {
    None: (302, 302, 302),
    "seller_a_user": (200, 404, 403),
    "manager_a": (200, 404, 200),
    "leader": (200, 200, 200),
    "admin": (200, 200, 200),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_role_gets_what_it_may_see(org, client_for, role):
    client = client_for(getattr(org, role) if role else None)
    own, other, exports = EXPECTED[role]
    got = {
        "own": client.get(reverse("reports:person", args=[org.seller_a.pk])).status_code,
        "other": client.get(reverse("reports:person", args=[org.seller_b.pk])).status_code,
    }
    for name in EXPORTS:
        got[name] = client.get(reverse(name)).status_code
    assert got == {"own": own, "other": other} | dict.fromkeys(EXPORTS, exports)


def test_an_anonymous_visitor_is_sent_to_the_login(org, client_for):
    response = client_for(None).get(reverse("reports:export_answers_csv"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_salesperson_sees_my_page_and_no_exports_in_the_menu(org, client_for):
    html = client_for(org.seller_a_user).get(reverse("home")).content.decode()
    assert 'data-testid="nav-my-page"' in html
    assert 'data-testid="nav-exports"' not in html


@pytest.mark.parametrize("role", ["manager_a", "leader"])
def test_managers_and_leadership_find_the_exports_in_the_menu(org, client_for, role):
    html = client_for(getattr(org, role)).get(reverse("home")).content.decode()
    assert f'href="{reverse("reports:exports")}"' in html
    assert ">Vienti<" in html
    assert 'data-testid="nav-my-page"' not in html
