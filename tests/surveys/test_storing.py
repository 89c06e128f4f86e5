"""Storing a survey (its rows are written by asiakaskunto.evidence, tested in
tests/organisation/test_evidence.py): the grades go stale, a resent form is refused. The team
link's member list is cached with the link and forgotten when a salesperson changes."""

import pytest
from django.urls import reverse

from asiakaskunto.models import Answer, Organisation, Submission
from reports.results_cache import grades_for, stale
from surveys.models import FollowUp, SurveyResponse
from tests.factories import SalespersonFactory
from tests.surveys.factories import survey_post

pytestmark = pytest.mark.django_db


def test_a_stored_answer_makes_the_cached_grades_stale(
    client, org, seller_link, django_capture_on_commit_callbacks
):
    grades_for(org.organisation)
    assert not stale(org.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        url = reverse("surveys_public:link", kwargs={"token": seller_link.token})
        assert client.post(url, survey_post()).status_code == 302
    assert stale(org.organisation)


def _team_url(link):
    return reverse("surveys_public:link", kwargs={"token": link.token})


def test_a_team_link_reads_its_members_once_per_minute(
    client, org, team_link, django_assert_max_num_queries
):
    """(Without Redis the link's stamp is read from the shared cache, the database: 1 query.
    The page's view is counted: one UPDATE.)"""
    from django.core.cache import caches
    from django.core.cache.backends.db import BaseDatabaseCache

    client.get(_team_url(team_link))
    with django_assert_max_num_queries(
        1 + int(isinstance(caches["shared"], BaseDatabaseCache))
    ) as captured:
        html = client.get(_team_url(team_link)).content.decode()
    assert not [q for q in captured.captured_queries if "salesperson" in q["sql"]]
    assert "Aino Seller" in html and "Cecilia Colleague" in html


def test_a_new_salesperson_shows_on_the_team_link_at_once(client, org, team_link):
    client.get(_team_url(team_link))
    SalespersonFactory(team=org.team_a, name="Uusi Myyjä")
    assert "Uusi Myyjä" in client.get(_team_url(team_link)).content.decode()


def test_a_salesperson_who_leaves_the_team_leaves_its_link_at_once(client, org, team_link):
    client.get(_team_url(team_link))
    org.colleague_a.team = org.team_b
    org.colleague_a.save()
    assert "Cecilia Colleague" not in client.get(_team_url(team_link)).content.decode()


def test_a_deleted_salesperson_cannot_be_chosen_on_the_team_link(client, org, team_link):
    client.get(_team_url(team_link))
    chosen = org.colleague_a.pk
    org.colleague_a.delete()
    response = client.post(_team_url(team_link), survey_post(salesperson=str(chosen)))
    assert response.status_code == 400
    assert not Submission.objects.exists()
    assert Organisation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_an_answer_is_stored_once_and_a_resent_form_refused(
    client, seller_link
):
    """In production there is no transaction around a request: on PostgreSQL the one
    statement commits by itself, and a refused one leaves the connection usable."""
    url = reverse("surveys_public:link", kwargs={"token": seller_link.token})
    form_key = str(client.get(url).context["form"]["form_key"].value())
    assert client.post(url, survey_post(form_key=form_key, q_CUS3="3")).status_code == 302
    again = client.post(url, survey_post(form_key=form_key, q_CUS3="3"))
    assert again.status_code == 302 and "repeat=1" in again["Location"]
    assert Submission.objects.count() == SurveyResponse.objects.count() == 1
    assert Answer.objects.count() == 5
    assert FollowUp.objects.count() == 1
    assert client.post(url, survey_post()).status_code == 302
    assert Submission.objects.count() == 2


def test_a_warm_standing_link_answer_costs_three_cache_operations(
    client, org, seller_link, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """With a shared cache every operation is a round trip: the link (with its questions),
    the rate counter, and the organisation's new generation of grades."""
    from django.core.cache import caches

    settings.SURVEY_RATE_LIMIT = 100
    url = reverse("surveys_public:link", kwargs={"token": seller_link.token})
    form_key = str(client.get(url).context["form"]["form_key"].value())
    client.post(url, survey_post(q_CUS3="8"))  # the rate window starts
    calls = []
    depth = [0]  # an operation made of another (the database cache's get is a get_many) is one

    def counted(method, name):
        def operation(self, *args, **kwargs):
            if not depth[0]:
                calls.append(name)
            depth[0] += 1
            try:
                return method(self, *args, **kwargs)
            finally:
                depth[0] -= 1

        return operation

    backends = {type(caches["default"]), type(caches["shared"])}  # the same class with Redis
    for backend in backends:
        for name in ("get", "get_many", "set", "add", "incr", "delete", "delete_many", "has_key"):
            monkeypatch.setattr(backend, name, counted(getattr(backend, name), name))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, survey_post(form_key=form_key))
    assert response.status_code == 302
    assert sorted(calls) == ["get", "incr", "set"], calls
