"""Evidence of every method is written by one function: the answers carry their question's
method, area, metric and scale, the organisation's results go stale once it is committed, and a
refused row leaves nothing behind."""

import pytest
from django.db import DataError, IntegrityError, connection, transaction
from django.utils import timezone

from asiakaskunto import evidence
from asiakaskunto.evidence import record_submission
from asiakaskunto.models import Answer, Method, Question, Scale, Submission
from reports.results_cache import grades_for, stale
from surveys.models import FollowUp, SurveyResponse

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-statement store is for PostgreSQL"
)


def _answers(method, *, value_of=None):
    """(question, value, why) for the method's first three questions: the lowest value of each
    scale (or ``value_of(question)``)."""
    lowest = {Scale.FIVE_POINT: 1, Scale.ELEVEN_POINT: 0, Scale.YES_PARTLY_NO: 0}
    questions = list(Question.objects.active().for_method(method)[:3])
    assert len(questions) == 3
    return [(q, value_of(q) if value_of else lowest[q.scale], f"miksi {q.code}") for q in questions]


@pytest.mark.parametrize("method", [Method.OBSERVATION, Method.MYSTERY_SHOP, Method.CUSTOMER])
def test_it_writes_one_submission_with_the_questions_copied_for_every_method(
    org, method, django_capture_on_commit_callbacks
):
    answers = _answers(method)
    answered_at = timezone.now().replace(microsecond=0)
    grades_for(org.organisation)
    assert not stale(org.organisation)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submission = record_submission(
            organisation=org.organisation,
            method=method,
            salesperson=org.seller_a,
            team=org.team_a.pk,  # a related row by its id works as well
            answered_at=answered_at,
            answers=answers,
        )
    assert len(callbacks) == 1  # marked stale once, not once more by a signal
    assert stale(org.organisation)
    stored = Submission.objects.get(pk=submission.pk)
    assert (stored.organisation_id, stored.method, stored.salesperson_id, stored.team_id) == (
        org.organisation.pk,
        method,
        org.seller_a.pk,
        org.team_a.pk,
    )
    assert stored.answered_at == submission.answered_at == answered_at
    rows = Answer.objects.filter(submission=stored).order_by("question__position", "question_id")
    assert [(a.question_id, a.method, a.area, a.metric, a.scale, a.value, a.why) for a in rows] == [
        (q.pk, q.method, q.area, q.metric, q.scale, value, why) for q, value, why in answers
    ]


def test_a_team_link_answer_has_no_salesperson(org):
    submission = record_submission(
        organisation=org.organisation.pk,
        method=Method.CUSTOMER,
        salesperson=None,
        team=org.team_b,
        answered_at=timezone.now(),
        answers=_answers(Method.CUSTOMER),
    )
    stored = Submission.objects.get(pk=submission.pk)
    assert stored.salesperson_id is None and stored.team_id == org.team_b.pk


def test_attached_rows_are_written_with_the_submission(org):
    now = timezone.now()
    submission = record_submission(
        organisation=org.organisation,
        method=Method.CUSTOMER,
        salesperson=org.seller_a,
        team=org.team_a,
        answered_at=now,
        answers=_answers(Method.CUSTOMER),
        attached=[
            (SurveyResponse, {"language": "sv", "consent": True}),
            (
                FollowUp,
                {
                    "organisation": org.organisation,
                    "team": org.team_a,
                    "salesperson": org.seller_a,
                    "reason": "CUS3=3",
                    "answered_at": now,
                },
            ),
        ],
    )
    assert SurveyResponse.objects.get().submission_id == submission.pk
    assert FollowUp.objects.get().submission_id == submission.pk


@pytest.mark.parametrize("method", [Method.OBSERVATION, Method.MYSTERY_SHOP, Method.CUSTOMER])
def test_a_value_off_its_scale_stores_nothing_and_marks_nothing_stale(
    org, method, django_capture_on_commit_callbacks
):
    """The last answer is refused by the database: the submission and the answers before it
    are not left behind, the caller's transaction stays usable, and nothing goes stale."""
    answers = _answers(method)
    question, _value, why = answers[-1]
    answers[-1] = (question, 11, why)  # off every scale
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        with pytest.raises(IntegrityError):
            record_submission(
                organisation=org.organisation,
                method=method,
                salesperson=org.seller_a,
                team=org.team_a,
                answered_at=timezone.now(),
                answers=answers,
                attached=[(SurveyResponse, {"language": "fi", "consent": False})],
            )
        assert Submission.objects.count() == 0  # the transaction still answers
    assert not callbacks
    assert not Answer.objects.exists()
    assert not SurveyResponse.objects.exists()


def test_a_refused_attached_row_takes_the_submission_with_it(org):
    """A form key stored already (unique): the second survey leaves no submission."""
    import uuid

    key = uuid.uuid4()

    def store():
        return record_submission(
            organisation=org.organisation,
            method=Method.CUSTOMER,
            salesperson=org.seller_a,
            team=org.team_a,
            answered_at=timezone.now(),
            answers=_answers(Method.CUSTOMER),
            attached=[(SurveyResponse, {"language": "fi", "consent": False, "form_key": key})],
        )

    store()
    with pytest.raises(IntegrityError):
        store()
    assert Submission.objects.count() == SurveyResponse.objects.count() == 1
    assert Answer.objects.count() == 3


@postgresql_only
def test_one_statement_writes_what_the_orm_writes(org):
    """The PostgreSQL path (one statement) and the ORM path (SQLite's) store the same rows."""
    now = timezone.now()
    submission = {
        "organisation": org.organisation,
        "method": Method.CUSTOMER,
        "salesperson": org.seller_a,
        "team": org.team_a.pk,
        "answered_at": now,
    }
    answers = [Answer.fields_for(q, v, w) for q, v, w in _answers(Method.CUSTOMER)]
    attached = [(SurveyResponse, {"language": "sv", "consent": True, "free_text": "'; --"})]
    db = connection
    fast = evidence._in_one_statement(db, submission, answers, attached, now=now)
    slow = evidence._through_orm(db, submission, answers, attached, now=now)

    def stored(submission_id):
        drop = {"id", "submission_id", "form_key", "created_at"}
        return [
            sorted(
                ({k: v for k, v in row.items() if k not in drop} for row in rows.values()),
                key=repr,
            )
            for rows in (
                Submission.objects.filter(pk=submission_id),
                Answer.objects.filter(submission_id=submission_id),
                SurveyResponse.objects.filter(submission_id=submission_id),
            )
        ]

    assert stored(fast.pk) == stored(slow.pk)
    assert len(stored(fast.pk)[1]) == 3
    assert abs(Submission.objects.get(pk=fast.pk).created_at - now).total_seconds() < 1
    assert (fast.organisation_id, fast.team_id, fast.answered_at) == (
        org.organisation.pk,
        org.team_a.pk,
        now,
    )
    assert not fast._state.adding


@postgresql_only
def test_one_statement_refuses_a_text_too_long_for_its_column_instead_of_cutting_it(
    org, monkeypatch
):
    real = Answer.fields_for

    def too_long(question, value, why=""):
        return real(question, value, why) | {"area": "X" * 30}  # the column holds 20

    monkeypatch.setattr(Answer, "fields_for", staticmethod(too_long))
    with pytest.raises(DataError), transaction.atomic():
        record_submission(
            organisation=org.organisation,
            method=Method.CUSTOMER,
            salesperson=None,
            team=org.team_a,
            answered_at=timezone.now(),
            answers=_answers(Method.CUSTOMER),
        )
    assert not Submission.objects.exists()
