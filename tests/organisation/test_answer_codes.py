"""PostgreSQL keeps each submission's answers as codes (migration asiakaskunto 0011), the
column the reports read a chain's answers from: whatever writes answers, the codes are those
of the submission's answers at that moment."""

import struct
import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from asiakaskunto.models import Answer, Method, Question, Submission
from tests.factories import submit

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL keeps the codes; SQLite reads rows"
)


def stored_codes(submission_id: int, using: str = "default") -> list[int] | None:
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT answer_codes FROM asiakaskunto_submission WHERE id = %s", [submission_id]
        )
        (raw,) = cursor.fetchone()
    if raw is None:
        return None
    raw = bytes(raw)
    # (In the order written: new answers are appended; the reports sort them.)
    return sorted(struct.unpack(f">{len(raw) // 8}q", raw))


def expected_codes(submission_id: int) -> list[int] | None:
    """The codes as the reports make them from the answer rows (reports.compute's packing)."""
    from reports.compute import _KIND_BITS, _QUESTION_SHIFT, _VALUE_BITS

    answers = Answer.objects.filter(submission_id=submission_id)
    codes = []
    for answer in answers:
        fits = 0 <= answer.kind < 1 << _KIND_BITS and 0 <= answer.value < 1 << _VALUE_BITS
        codes.append(
            (answer.question_id << _QUESTION_SHIFT) + (answer.kind << _VALUE_BITS) + answer.value
            if fits
            else -1
        )
    return sorted(codes) or None


def test_inserted_changed_and_deleted_answers_keep_their_submission_s_codes(org):
    first = submit(org.seller_a, Method.OBSERVATION, {"OBS3": 5, "OBS1": 4})
    other = submit(org.seller_b, Method.CUSTOMER, {"CUS1": 4, "CUS3": 2})
    for submission in (first, other):
        assert stored_codes(submission.pk) == expected_codes(submission.pk)
        assert len(stored_codes(submission.pk)) == 2
    # One answer changed, through the ORM and through a queryset update.
    answer = first.answers.order_by("question_id").first()
    answer.value = 2
    answer.save()
    Answer.objects.filter(submission=other, question__code="CUS1").update(value=5)
    # One answer moved to another submission (both change).
    Answer.objects.filter(submission=first, question__code="OBS3").update(submission=other)
    for submission in (first, other):
        assert stored_codes(submission.pk) == expected_codes(submission.pk)
    assert len(stored_codes(other.pk)) == 3
    # Deleted: one answer, then the rest (no answers: no codes).
    Answer.objects.filter(submission=other, question__code="CUS3").delete()
    assert stored_codes(other.pk) == expected_codes(other.pk)
    first.answers.all().delete()
    assert stored_codes(first.pk) is None


def test_a_submission_saved_again_keeps_its_codes(org):
    """The codes are no model field: saving a submission (all its fields) leaves them."""
    submission = submit(org.seller_a, Method.OBSERVATION, {"OBS1": 4})
    again = Submission.objects.get(pk=submission.pk)
    again.answered_at = timezone.now()
    again.save()
    assert stored_codes(submission.pk) == expected_codes(submission.pk) is not None


def test_a_submission_inserted_after_its_answers_makes_its_codes(org):
    """A fixture may insert answers first (the foreign key is checked at commit)."""
    question = Question.objects.get(organisation=org.organisation, code="OBS1")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('asiakaskunto_submission', 'id'))")
        (pk,) = cursor.fetchone()
        Answer.objects.bulk_create(
            [Answer.for_question(question, 3, "", submission=Submission(pk=pk))]
        )
        Submission.objects.create(
            pk=pk,
            organisation=org.organisation,
            method=Method.OBSERVATION,
            salesperson=org.seller_a,
            team=org.team_a,
            answered_at=timezone.now(),
        )
    assert stored_codes(pk) == expected_codes(pk) is not None


def test_every_kind_and_value_is_coded_as_the_reports_decode_it(org):
    """Each question of the bank at each value its scale allows: the trigger's code is the
    reports' packing of (question, kind, value)."""
    from asiakaskunto.models import SCALE_RANGES

    questions = list(Question.objects.filter(organisation=org.organisation))
    for question in questions:
        low, high = SCALE_RANGES[question.scale]
        for value in (low, high):
            submission = submit(org.seller_a, question.method, {question.code: value})
            assert stored_codes(submission.pk) == expected_codes(submission.pk) is not None


@pytest.mark.django_db(transaction=True)
def test_two_transactions_writing_one_submission_s_answers_keep_both(org):
    """Under READ COMMITTED the later writer waits for the earlier one and then sees its
    answers: the codes hold both."""
    submission = submit(org.seller_a, Method.OBSERVATION, {"OBS1": 4})
    bank = {q.code: q for q in Question.objects.filter(organisation=org.organisation)}
    started, errors = threading.Event(), []

    def second_writer():
        try:
            started.wait(5)
            Answer.objects.bulk_create(
                [Answer.for_question(bank["OBS3"], 5, "", submission=submission)]
            )
        except Exception as error:  # handed to the test
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=second_writer)
    thread.start()
    with transaction.atomic():
        Answer.objects.bulk_create(
            [Answer.for_question(bank["OBS2"], 3, "", submission=submission)]
        )
        started.set()
        thread.join(0.5)  # the second writer now waits for this transaction's lock
        assert thread.is_alive()
    thread.join(10)
    assert not errors
    assert len(stored_codes(submission.pk)) == 3
    assert stored_codes(submission.pk) == expected_codes(submission.pk)


@pytest.mark.parametrize("method", [Method.OBSERVATION, Method.MYSTERY_SHOP, Method.CUSTOMER])
def test_evidence_written_in_one_statement_has_its_codes(org, method):
    """The evidence of every method (its submission and answers by one SQL statement)."""
    from asiakaskunto.evidence import record_submission
    from asiakaskunto.models import Scale

    lowest = {Scale.FIVE_POINT: 1, Scale.ELEVEN_POINT: 0, Scale.YES_PARTLY_NO: 0}
    questions = list(Question.objects.active().for_method(method)[:3])
    submission = record_submission(
        organisation=org.organisation,
        method=method,
        salesperson=org.seller_a,
        team=org.team_a,
        answered_at=timezone.now(),
        answers=[(q, lowest[q.scale], "") for q in questions],
    )
    assert len(stored_codes(submission.pk)) == 3
    assert stored_codes(submission.pk) == expected_codes(submission.pk)
