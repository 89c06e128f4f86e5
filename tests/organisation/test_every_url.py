"""Every staff page of the project refuses strangers: walk the whole URL configuration and ask
each page anonymously, and as a manager of another organisation for our own objects."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from asiakaskunto.models import Method, Role
from coaching.models import CoachingPlan, Goal, Season
from observations.models import MysteryScenario, MysterySchedule
from sampling.models import SampleBatch
from surveys.models import FollowUp
from tests.factories import OrganisationFactory, SalespersonFactory, TeamFactory, make_user, submit
from tests.observations.factories import ChecklistFactory, MysteryPlanFactory
from tests.photos.images import attach
from tests.surveys.factories import InvitationFactory, SurveyLinkFactory

# The unsubscribe link of an e-mail works without logging in (its token is signed).
PUBLIC_PREFIXES = (
    "s/", "m/", "login/", "logout/", "i18n/", "admin/", "account/email/unsubscribe/",
    "account/password/reset/"
)  # fmt: skip


def staff_routes():
    """Every route outside the public prefixes, e.g. "surveys/links/<int:pk>/qr.png"."""
    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern) and not route.startswith(PUBLIC_PREFIXES):
                found.append(route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


@pytest.fixture
def ours(org):
    """One object of every kind in our organisation, the ones the routes' <pk> point at."""
    submission = submit(org.seller_a, Method.CUSTOMER, {"CUS3": 2})
    plan = CoachingPlan.objects.create(
        organisation=org.organisation,
        salesperson=org.seller_a,
        target_level="ERINOMAINEN",
        started_at=timezone.now(),
    )
    goal = Goal.objects.create(
        plan=plan,
        area="SKILLS",
        target_score=65,
        due_date=timezone.localdate(),
        set_at=timezone.now(),
    )
    season = Season.objects.create(
        organisation=org.organisation,
        name="Kevät",
        start_date=timezone.localdate(),
        end_date=timezone.localdate(),
    )
    draft = ChecklistFactory(salesperson=org.seller_a, author=org.manager_a)
    sampled = InvitationFactory(
        salesperson=org.seller_a,
        email="",
        phone="0401234567",
        sample_batch=SampleBatch.objects.create(
            organisation=org.organisation,
            seed=1,
            per_salesperson=1,
            quiet_days=90,
            file_sha256="0" * 64,
            drawn=1,
        ),
    )
    return {
        "coaching/people/": org.seller_a.pk,
        "coaching/plans/": plan.pk,
        "coaching/goals/": goal.pk,
        "coaching/seasons/": season.pk,
        "observations/mystery/scenarios/": MysteryScenario.objects.create(
            organisation=org.organisation, name="Lahja", instructions_fi="Pyydä lahjaa.",
        ).pk,
        "observations/mystery/schedules/": MysterySchedule.objects.create(
            organisation=org.organisation, team=org.team_a, starts_on=timezone.localdate(),
        ).pk,
        "observations/mystery/": MysteryPlanFactory(salesperson=org.seller_a).pk,
        "observations/salespeople/": org.seller_a.pk,
        "observations/": draft.pk,
        "surveys/links/": SurveyLinkFactory(salesperson=org.seller_a).pk,
        "surveys/follow-ups/": FollowUp.objects.create(
            organisation=org.organisation, submission=submission, team=org.team_a,
            salesperson=org.seller_a, reason="CUS3=2", answered_at=timezone.now(),
        ).pk,
        "reports/people/": org.seller_a.pk,
        "interviews/salespeople/": org.seller_a.pk,
        "interviews/calls/": sampled.pk,
        "sampling/": sampled.sample_batch_id,
        "reports/teams/": org.team_a.pk,
        "teams/": org.team_a.pk,
        "privacy/people/": org.seller_a.pk,
        "photos/": attach("OBS1", checklist=draft).pk,
        "questions/": org.organisation.questions.get(code="OBS1").pk,
    }  # fmt: skip


def url_of(route, ours):
    if "<int:pk>" not in route:
        return "/" + route
    prefix = next(p for p in ours if route.startswith(p))  # the longest prefixes come first
    return "/" + route.replace("<int:pk>", str(ours[prefix]))


def test_the_walk_finds_the_pages_of_every_app():
    routes = staff_routes()
    assert (
        "" in routes and "reports/" in routes and "observations/" in routes and "surveys/" in routes
    )
    assert len(routes) > 25


@pytest.mark.parametrize("route", staff_routes())
def test_a_stranger_is_sent_to_the_login(client, ours, route):
    url = url_of(route, ours)
    response = client.get(url)
    if response.status_code == 405:  # a POST-only action: the POST must be refused too
        response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/"), url


@pytest.mark.parametrize("route", staff_routes())
def test_another_organisations_manager_gets_nothing_of_ours(org, ours, client_for, route):
    other = OrganisationFactory(name="Toinen Oy")
    manager = make_user(other, Role.MANAGER, username="other_manager")
    SalespersonFactory(team=TeamFactory(organisation=other, managers=[manager]), name="Olli Other")
    client = client_for(manager)
    url = url_of(route, ours)
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    if "<int:pk>" in route:
        assert response.status_code in (403, 404), url
        return
    assert response.status_code in (200, 302, 403, 404), url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    for secret in (b"Aino Seller", b"Bertta Seller", b"Cecilia Colleague", b"Team A", b"Team B"):
        assert secret not in body, (url, secret)
