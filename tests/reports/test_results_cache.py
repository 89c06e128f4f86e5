"""The cache policy (reports/results_cache.py): a stored result is served; a stale one is
served while ONE recompute is queued through the tasks API; only a cold start computes in the
request; answers never compute in their own request; pages say how fresh they are."""

from datetime import timedelta

import pytest
from django.tasks import default_task_backend
from django.urls import reverse
from django.utils import timezone

from asiakaskunto.models import Method
from reports import results_cache
from reports.results_cache import grades_for, mark_stale, result, stale
from tests.factories import submit
from tests.reports.test_services import give_evidence
from tests.visible import parse

DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
DB = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def computes(monkeypatch):
    """The calls of reports.compute.compute made through the layer."""
    calls = []
    original = results_cache.compute

    def counted(*args, **kwargs):
        calls.append(kwargs)
        return original(*args, **kwargs)

    monkeypatch.setattr(results_cache, "compute", counted)
    return calls


def _dummy_results():
    default_task_backend.clear()
    return default_task_backend.results


def test_a_cold_request_computes_once_and_then_serves_the_stored_result(org, client_for, computes):
    give_evidence(org.seller_a)
    client = client_for(org.leader)
    assert client.get(reverse("reports:dashboard")).status_code == 200
    assert len(computes) == 1  # grades now, at the previous month's end, and the trend at once
    assert len(computes[0]["as_of"]) == 2 and len(computes[0]["trend_months"]) == 24
    client.get(reverse("reports:dashboard"))
    client.get(reverse("reports:team_dashboard", args=[org.team_a.pk]))
    client.get(reverse("reports:person", args=[org.seller_a.pk]))
    client.get(reverse("home"))
    assert len(computes) == 1


def test_a_stale_result_is_served_and_many_visitors_queue_one_recompute(
    org, client_for, computes, settings, django_capture_on_commit_callbacks
):
    give_evidence(org.seller_a)
    client = client_for(org.leader)
    before = client.get(reverse("reports:dashboard")).context
    settings.TASKS = DUMMY
    queued = _dummy_results()
    with django_capture_on_commit_callbacks(execute=True):
        give_evidence(org.colleague_a)
    assert stale(org.organisation)
    for user in (org.leader, org.leader, org.manager_a, org.seller_a_user):
        client_for(user).get(reverse("reports:dashboard"))
    page = client_for(org.leader).get(reverse("reports:dashboard")).context
    assert len(computes) == 1  # no visitor computed
    assert len(queued) == 1  # one recompute for all of them
    assert queued[0].task.func is results_cache.recompute.func
    assert list(queued[0].args) == [
        org.organisation.pk,
        "now",
        None,
        timezone.get_current_timezone_name(),
    ]

    # The newest complete result: what was there before the new answers.
    assert page["figures"].nps_n == before["figures"].nps_n
    assert page["freshness"] == before["freshness"]

    # The worker runs it: the pages show the new answers and the new moment.
    results_cache.recompute.call(*queued[0].args)
    after = client_for(org.leader).get(reverse("reports:dashboard")).context
    assert after["figures"].nps_n == before["figures"].nps_n + 5
    assert after["freshness"]["iso"] > before["freshness"]["iso"]
    assert not stale(org.organisation)

    # The lock is gone with the run: the next staleness queues the next recompute.
    mark_stale(org.organisation.pk)
    client_for(org.leader).get(reverse("reports:dashboard"))
    assert len(queued) == 2


def test_with_the_immediate_backend_a_stale_page_serves_what_it_recomputed(
    org, client_for, django_capture_on_commit_callbacks
):
    client = client_for(org.leader)
    assert client.get(reverse("reports:dashboard")).context["figures"].nps_n == 0
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            submit(org.seller_a, Method.CUSTOMER, {"CUS1": 5, "CUS2": 5, "CUS3": 10})
    figures = client.get(reverse("reports:dashboard")).context["figures"]
    assert (figures.nps_n, figures.nps) == (5, 100)


def test_an_answer_never_computes_in_its_own_request(
    client, org, monkeypatch, django_capture_on_commit_callbacks
):
    """With the immediate backend (development, tests) the answer only marks the results
    stale: nothing can be deferred, and the answer's request must not wait for a recompute."""
    from tests.surveys.factories import SurveyLinkFactory, survey_post

    grades_for(org.organisation)
    monkeypatch.setattr(results_cache, "compute", _refuse)
    link = SurveyLinkFactory(salesperson=org.seller_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("surveys_public:link", kwargs={"token": link.token}), survey_post()
        )
    assert response.status_code == 302
    assert stale(org.organisation)


def _refuse(*args, **kwargs):
    raise AssertionError("computed in the answer's request")


@pytest.mark.django_db(transaction=True)
def test_with_a_deferring_backend_answers_queue_one_deferred_recompute(
    client, org, settings, monkeypatch
):
    """Production (django-tasks-db): each stored answer queues the recompute of the standard
    result DEFER_SECONDS later, at most one pending per organisation; the worker runs it."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from tests.surveys.factories import SurveyLinkFactory, survey_post

    settings.TASKS = DB
    grades_for(org.organisation)
    links = [
        SurveyLinkFactory(salesperson=p) for p in (org.seller_a, org.colleague_a, org.seller_b)
    ]
    monkeypatch.setattr(results_cache, "compute", _refuse)
    for link in links:
        url = reverse("surveys_public:link", kwargs={"token": link.token})
        assert client.post(url, survey_post()).status_code == 302
    queued = list(DBTaskResult.objects.all())
    assert len(queued) == 1
    assert queued[0].task_path == "reports.results_cache.recompute"
    assert queued[0].run_after > timezone.now() + timedelta(seconds=5)
    monkeypatch.undo()

    DBTaskResult.objects.update(run_after=timezone.now())
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    task = DBTaskResult.objects.get()
    assert task.status == "SUCCESSFUL", task.traceback
    assert not stale(org.organisation)
    assert grades_for(org.organisation).organisation.metrics["NPS"].n == 3


def test_a_result_made_before_an_answer_is_stale_after_it(org, django_capture_on_commit_callbacks):
    """The token is read before the answers: an answer committed while a result is being
    computed leaves that result stale, never current."""
    give_evidence(org.seller_a)
    original = results_cache.compute

    def answer_arrives_meanwhile(*args, **kwargs):
        computed = original(*args, **kwargs)
        mark_stale(org.organisation.pk)  # an answer's commit during the computation
        return computed

    results_cache.compute = answer_arrives_meanwhile
    try:
        grades_for(org.organisation)
    finally:
        results_cache.compute = original
    assert stale(org.organisation)


def test_a_result_now_goes_stale_with_age(org, monkeypatch):
    give_evidence(org.seller_a)
    first = result(org.organisation)
    later = timezone.now() + timedelta(seconds=results_cache.NOW_MAX_AGE + 1)
    monkeypatch.setattr(results_cache.timezone, "now", lambda: later)
    assert stale(org.organisation)
    again = result(org.organisation)  # immediate backend: recomputed at once
    assert again.computed_at == later and again.computed_at > first.computed_at


def test_a_lost_piece_is_computed_again(org, computes):
    give_evidence(org.seller_a)
    stored = result(org.organisation)
    results_cache.cache.delete(stored.head.piece_key("groups"))
    assert org.seller_a.pk in grades_for(org.organisation).people
    assert len(computes) == 2


def test_the_whole_grades_reassembled_equal_the_engines(org):
    from reports.compute import compute
    from reports.services import scoring_settings_for

    give_evidence(org.seller_a)
    give_evidence(org.seller_b, customer_value=2)
    moment = timezone.now() - timedelta(days=3)
    scoring = scoring_settings_for(org.organisation)
    (expected,) = compute(org.organisation, scoring=scoring, as_of=[moment]).grades
    assert grades_for(org.organisation, as_of=moment) == expected
    assert grades_for(org.organisation, as_of=moment) == expected  # stored, read back


def test_each_salespersons_trend_rows_are_the_engines_months(org):
    """The stored result keeps each salesperson's trend with their team; read back, the rows
    are the trend's own, month by month, also for someone graded earlier but not now (kept
    with the team of their latest month)."""
    from reports.compute import compute

    give_evidence(org.seller_a)
    give_evidence(org.seller_b, customer_value=2, now=timezone.now() - timedelta(days=420))
    stored = result(org.organisation)
    head = stored.head
    computed = compute(
        org.organisation, scoring=head.scoring, as_of=list(head.as_of), trend_months=head.months
    )
    frame = computed.trend.people
    for seller in (org.seller_a, org.seller_b):
        own = frame[frame["salesperson"] == seller.pk]
        person, rows = stored.person(seller.pk)
        assert len(own) and len(rows) == len(own)
        for row, (_, expected) in zip(rows, own.iterrows(), strict=True):
            assert list(row) == results_cache._TREND_ROW_COLUMNS
            for name, value in row.items():
                assert value == expected[name] or (
                    value != value and expected[name] != expected[name]
                )
    assert stored.person(org.seller_b.pk)[0] is None  # not graded now
    assert stored.team_of()[org.seller_b.pk] == org.seller_b.team_id


@pytest.mark.parametrize(
    ("language", "text"),
    [("fi", "tilanne klo 14.32"), ("sv", "läget kl. 14.32"), ("en", "as of 14:32")],
)
def test_each_page_says_how_fresh_its_figures_are(org, client_for, monkeypatch, language, text):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    give_evidence(org.seller_a)
    moment = datetime(2026, 6, 15, 14, 32, 5, tzinfo=ZoneInfo("Europe/Helsinki"))
    monkeypatch.setattr(results_cache.timezone, "now", lambda: moment)
    client = client_for(org.leader)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    for url in (
        reverse("reports:dashboard"),
        reverse("reports:team_dashboard", args=[org.team_a.pk]),
        reverse("reports:person", args=[org.seller_a.pk]),
    ):
        html = client.get(url).content.decode()
        (element,) = parse(html).find_all(data_testid="computed-at")
        assert element.text == text, url
        assert element.attrs["data-computed-at"] == "2026-06-15T14:32:05+03:00"


@pytest.mark.parametrize("people_per_team", [3, 30])
def test_warm_pages_need_a_bounded_number_of_queries(
    org, client_for, django_assert_max_num_queries, people_per_team
):
    """Stored results are read in pieces: the head, the variant's shaped figures, a team's
    people; the same few reads whatever the number of salespeople."""
    from tests.reports.dashboard_data import fill

    fill([org.team_a, org.team_b], people_per_team=people_per_team, surveys=5)
    leader = client_for(org.leader)
    dashboard = reverse("reports:dashboard")
    person = reverse("reports:person", args=[org.seller_a.pk])
    leader.get(dashboard)
    leader.get(person)
    # session, user, profile, organisation, teams; the head with the token; the shaped
    # figures; the salespeople's names.
    with django_assert_max_num_queries(8):
        assert leader.get(dashboard).status_code == 200
    # session, user, profile, organisation, salesperson (+team), the head with the token, the
    # people piece, the team's piece, the latest answers, the targets' wording, the words of
    # the customers, the coaching link.
    with django_assert_max_num_queries(16):
        assert leader.get(person).status_code == 200


def test_the_recompute_shapes_the_leadership_dashboard_before_anyone_asks(
    org, client_for, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from reports import pages

    give_evidence(org.seller_a)
    client = client_for(org.leader)
    client.get(reverse("reports:dashboard"))
    settings.TASKS = DUMMY
    queued = _dummy_results()
    with django_capture_on_commit_callbacks(execute=True):
        give_evidence(org.colleague_a)
    client.get(reverse("reports:dashboard"))
    (task,) = queued
    results_cache.recompute.call(*task.args)  # as the worker would

    shaped = []
    original = pages._shape
    monkeypatch.setattr(pages, "_shape", lambda *a, **k: shaped.append(1) or original(*a, **k))
    page = client.get(reverse("reports:dashboard")).context
    assert shaped == []  # the worker shaped it
    assert page["figures"].graded_count == 2
    client.get(reverse("reports:dashboard"), {"months": 24})
    assert shaped == [1]  # another variant: shaped by its first visitor
