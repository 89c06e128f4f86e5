"""Storing a survey: on PostgreSQL one statement writes exactly the rows the ORM would, the
grades go stale, and a broken rule stores nothing. The team link's member list is cached
with the link and forgotten when a salesperson changes."""

import uuid

import pytest
from django.db import DataError, IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from asiakaskunto.models import Answer, Organisation, Submission
from reports.services import grades_for, scores_version
from surveys.models import FollowUp, SurveyResponse
from surveys.one_statement import store_survey
from surveys.services import _store, survey_questions
from tests.factories import SalespersonFactory
from tests.surveys.factories import survey_post

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-statement store is for PostgreSQL"
)


def _rows(org, *, link=None, unhappy=True, form_key=None, nps=3):
    questions = {q.code: q for q in survey_questions(org.organisation)}
    now = timezone.now()
    values = {"CUS1": (2, "Ei löytynyt <b>mitään</b>"), "CUS3": (nps, "Jonot"), "CSAT": (4, "")}
    return {
        "submission": {
            "organisation": org.organisation,
            "method": "CUSTOMER",
            "salesperson": org.seller_a,
            "team": org.team_a,
            "answered_at": now,
        },
        "answers": [
            Answer.fields_for(questions[code], v, why) for code, (v, why) in values.items()
        ],
        "response": {
            "link": link,
            "invitation": None,
            "language": "sv",
            "free_text": "Vapaa 'teksti'; DROP TABLE x; --",
            "contact": "",
            "consent": True,
            "form_key": form_key or uuid.uuid4(),
        },
        "follow_up": {
            "organisation": org.organisation,
            "team": org.team_a,
            "salesperson": org.seller_a,
            "reason": "CUS1=2, CUS3=3",
            "answered_at": now,
        }
        if unhappy
        else None,
        "now": now,
    }


def _stored(submission_id):
    """Every column stored for one submission but the ids and the moments of writing (checked
    apart), comparable across submissions."""

    def rows(model, **where):
        drop = {"id", "submission_id", "form_key", "created_at", "updated_at"}
        return sorted(
            (
                {k: v for k, v in row.items() if k not in drop}
                for row in model.objects.filter(**where).values()
            ),
            key=repr,
        )

    return {
        "submission": rows(Submission, pk=submission_id),
        "answers": rows(Answer, submission_id=submission_id),
        "response": rows(SurveyResponse, submission_id=submission_id),
        "follow_up": rows(FollowUp, submission_id=submission_id),
    }


@postgresql_only
@pytest.mark.parametrize("unhappy", [True, False])
def test_one_statement_writes_what_the_orm_writes(org, unhappy):
    rows = _rows(org, unhappy=unhappy)
    fast = store_survey(**rows)
    slow = _store(**(rows | {"response": rows["response"] | {"form_key": uuid.uuid4()}}))
    fast_rows, slow_rows = _stored(fast.pk), _stored(slow.pk)
    assert fast_rows == slow_rows
    assert len(fast_rows["answers"]) == 3
    assert "Ei löytynyt <b>mitään</b>" in {row["why"] for row in fast_rows["answers"]}
    assert len(fast_rows["follow_up"]) == (1 if unhappy else 0)
    written = [Submission.objects.get(pk=fast.pk).created_at]
    written += SurveyResponse.objects.filter(submission=fast.pk).values_list(
        "created_at", flat=True
    )
    written += FollowUp.objects.filter(submission=fast.pk).values_list("updated_at", flat=True)
    assert all(abs(moment - rows["now"]).total_seconds() < 1 for moment in written)
    stored = Submission.objects.get(pk=fast.pk)
    assert (fast.organisation_id, fast.team_id, fast.salesperson_id, fast.method) == (
        stored.organisation_id,
        stored.team_id,
        stored.salesperson_id,
        stored.method,
    )
    assert fast.answered_at == stored.answered_at == rows["now"]
    assert not fast._state.adding


@postgresql_only
def test_one_statement_stores_nothing_when_a_value_is_off_its_scale(org):
    rows = _rows(org, nps=11)
    with pytest.raises(IntegrityError), transaction.atomic():
        store_survey(**rows)
    assert not Submission.objects.exists()
    assert not SurveyResponse.objects.exists()
    assert not FollowUp.objects.exists()


@postgresql_only
def test_one_statement_refuses_a_form_key_twice_and_keeps_the_first(org):
    key = uuid.uuid4()
    store_survey(**_rows(org, form_key=key))
    with pytest.raises(IntegrityError), transaction.atomic():
        store_survey(**_rows(org, form_key=key))
    assert Submission.objects.count() == SurveyResponse.objects.count() == 1
    assert Answer.objects.count() == 3


@postgresql_only
def test_one_statement_makes_the_cached_grades_stale(org, django_capture_on_commit_callbacks):
    grades_for(org.organisation)
    before = scores_version(org.organisation.pk)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        store_survey(**_rows(org))
    assert scores_version(org.organisation.pk) != before


def test_a_stored_answer_makes_the_cached_grades_stale(
    client, org, seller_link, django_capture_on_commit_callbacks
):
    before = scores_version(org.organisation.pk)
    with django_capture_on_commit_callbacks(execute=True):
        url = reverse("surveys_public:link", kwargs={"token": seller_link.token})
        assert client.post(url, survey_post()).status_code == 302
    assert scores_version(org.organisation.pk) != before


def _team_url(link):
    return reverse("surveys_public:link", kwargs={"token": link.token})


def test_a_team_link_reads_its_members_once_per_minute(
    client, org, team_link, django_assert_max_num_queries
):
    """(Without Redis the link's stamp is read from the shared cache, the database: 1 query.)"""
    from django.core.cache import caches
    from django.core.cache.backends.db import BaseDatabaseCache

    client.get(_team_url(team_link))
    with django_assert_max_num_queries(int(isinstance(caches["shared"], BaseDatabaseCache))):
        html = client.get(_team_url(team_link)).content.decode()
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


@postgresql_only
def test_one_statement_refuses_a_text_too_long_for_its_column_instead_of_cutting_it(org):
    rows = _rows(org)
    rows["answers"][0]["area"] = "X" * 30  # the column holds 20
    with pytest.raises(DataError), transaction.atomic():
        store_survey(**rows)
    assert not Submission.objects.exists()
