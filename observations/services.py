"""Writes that touch several rows: saving and submitting checklists, correcting them with their
history kept, planning mystery visits and completing a mystery test through its link.

Each runs in one transaction; each write that a double click could repeat is guarded so that
it happens once (an idempotency key, a conditional UPDATE, a unique constraint as backstop).
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import IntegrityError, transaction

from asiakaskunto.evidence import record_submission
from asiakaskunto.models import Answer, Method, Question, Salesperson, Submission

from .models import (
    Checklist,
    ChecklistRevision,
    ChecklistStatus,
    ChecklistTemplate,
    MysteryPlan,
    MysteryTest,
    ReviewStatus,
    review_required,
)


@dataclass
class ChecklistInput:
    """What a manager entered: answers are {question: (value or None, note)}."""

    salesperson: Salesperson
    observed_at: datetime
    location: str = ""
    general_note: str = ""
    answers: dict[Question, tuple[int | None, str]] = field(default_factory=dict)
    template: ChecklistTemplate | None = None  # kept by a new checklist only


class ChecklistAlreadySubmitted(Exception):
    """The checklist was submitted meanwhile (a double click or another tab)."""


def _draft_answers(answers) -> dict:
    return {
        str(question.pk): {"value": value, "note": note}
        for question, (value, note) in answers.items()
        if value is not None or note
    }


def _write_submission(checklist: Checklist, answers) -> Submission:
    salesperson = checklist.salesperson
    return record_submission(
        organisation=checklist.organisation,
        method=Method.OBSERVATION,
        salesperson=salesperson,
        team=salesperson.team_id,
        answered_at=checklist.observed_at,
        answers=_answered(answers),
    )


def save_checklist(
    *,
    author,
    data: ChecklistInput,
    submit: bool,
    idempotency_key,
    checklist: Checklist | None = None,
    now: datetime,
) -> tuple[Checklist, bool]:
    """Create or update a draft, and submit it when asked, in one transaction.

    Returns (checklist, changed); ``changed`` is False when this repeated a request already
    done (a form posted twice with the same idempotency key). Raises ChecklistAlreadySubmitted
    when a draft was submitted meanwhile.
    """
    try:
        with transaction.atomic():
            return _save_checklist(
                author=author,
                data=data,
                submit=submit,
                idempotency_key=idempotency_key,
                checklist=checklist,
                now=now,
            )
    except IntegrityError:
        # Two first posts of one form raced past the lookup: the other one won.
        existing = Checklist.objects.filter(idempotency_key=idempotency_key).first()
        if checklist is None and existing is not None:
            return existing, False
        raise


def _save_checklist(*, author, data, submit, idempotency_key, checklist, now):
    if checklist is None:
        existing = Checklist.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
        checklist = Checklist(
            organisation=data.salesperson.organisation,
            author=author,
            idempotency_key=idempotency_key,
            template=data.template,
        )
    else:
        checklist = Checklist.objects.select_for_update(of=("self",)).get(pk=checklist.pk)
        if checklist.status != ChecklistStatus.DRAFT:
            raise ChecklistAlreadySubmitted
    checklist.salesperson = data.salesperson
    checklist.observed_at = data.observed_at
    checklist.location = data.location
    checklist.general_note = data.general_note
    checklist.draft_answers = _draft_answers(data.answers)
    if submit:
        checklist.status = ChecklistStatus.SUBMITTED
        checklist.submitted_at = now
        checklist.submission = _write_submission(checklist, data.answers)
        checklist.draft_answers = {}
    checklist.save()
    return checklist, True


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def snapshot(checklist: Checklist) -> dict:
    """A submitted checklist as plain data, for its history."""
    answers = {}
    if checklist.submission_id:
        for answer in checklist.submission.answers.in_question_order():
            answers[answer.question.code] = {"value": answer.value, "note": answer.why}
    return {
        "observed_at": _iso(checklist.observed_at),
        "location": checklist.location,
        "general_note": checklist.general_note,
        "answers": answers,
    }


def _changes(before: dict, after: dict) -> list[dict]:
    changes = []
    for key in ("observed_at", "location", "general_note"):
        if before[key] != after[key]:
            changes.append({"field": key, "before": before[key], "after": after[key]})
    codes = sorted(set(before["answers"]) | set(after["answers"]))
    for code in codes:
        old = before["answers"].get(code, {"value": None, "note": ""})
        new = after["answers"].get(code, {"value": None, "note": ""})
        if old["value"] != new["value"]:
            changes.append({"field": code, "before": old["value"], "after": new["value"]})
        if old["note"] != new["note"]:
            changes.append({"field": f"{code}:note", "before": old["note"], "after": new["note"]})
    return changes


@transaction.atomic
def correct_checklist(
    checklist: Checklist, *, editor, data: ChecklistInput, now: datetime
) -> ChecklistRevision | None:
    """Correct a submitted checklist: its Answers are updated in place and the previous version
    is kept as a revision (who, when, what). Nothing is written when nothing changed (which also
    makes a double click on "save" harmless)."""
    checklist = (
        Checklist.objects.select_for_update(of=("self",))
        .select_related("submission", "salesperson")
        .get(pk=checklist.pk)
    )
    before = snapshot(checklist)
    after = {
        "observed_at": _iso(data.observed_at),
        "location": data.location,
        "general_note": data.general_note,
        "answers": {
            question.code: {"value": value, "note": note}
            for question, (value, note) in data.answers.items()
            if value is not None
        },
    }
    changes = _changes(before, after)
    if not changes:
        return None
    revision = ChecklistRevision.objects.create(
        checklist=checklist, edited_by=editor, edited_at=now, previous=before, changes=changes
    )
    checklist.observed_at = data.observed_at
    checklist.location = data.location
    checklist.general_note = data.general_note
    checklist.save(update_fields=["observed_at", "location", "general_note", "updated_at"])
    submission = checklist.submission
    submission.answered_at = data.observed_at
    submission.save(update_fields=["answered_at"])
    existing = {answer.question_id: answer for answer in submission.answers.all()}
    for question, (value, note) in data.answers.items():
        answer = existing.pop(question.pk, None)
        if value is None:
            if answer is not None:
                answer.delete()
        elif answer is None:
            Answer.for_question(question, value, note, submission=submission).save()
        elif (answer.value, answer.why) != (value, note):
            answer.value, answer.why = value, note
            answer.save(update_fields=["value", "why"])
    return revision


class LinkNotUsable(Exception):
    """The mystery link was used, cancelled or expired meanwhile."""


@dataclass
class MysteryInput:
    visited_at: datetime
    description: str
    answers: dict[Question, tuple[int, str]]
    salesperson: Salesperson | None = None
    salesperson_description: str = ""


def _answered(answers: dict) -> list[tuple[Question, int, str]]:
    return [
        (question, value, why) for question, (value, why) in answers.items() if value is not None
    ]


@transaction.atomic
def complete_mystery_test(plan: MysteryPlan, *, data: MysteryInput, now: datetime) -> MysteryTest:
    """Use the link up and store the test with its evidence, all or nothing.

    When the organisation reviews tests first (``review_required``), the answers wait on the
    test (``pending_answers``) and no evidence is written until someone approves it.

    The conditional UPDATE lets exactly one of several concurrent posts through; the others
    see 0 rows updated (PostgreSQL re-checks the WHERE after the winner commits; SQLite runs
    immediate transactions one at a time). The unique plan of MysteryTest is the backstop.
    """
    used = MysteryPlan.objects.filter(
        pk=plan.pk, used_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if used != 1:
        raise LinkNotUsable
    salesperson = plan.salesperson or data.salesperson
    answered = _answered(data.answers)
    test = MysteryTest(
        plan=plan,
        salesperson=salesperson,
        visited_at=data.visited_at,
        description=data.description,
        salesperson_description=data.salesperson_description,
    )
    if review_required(plan.organisation_id):
        test.review_status = ReviewStatus.PENDING
        test.pending_answers = [
            {"question": question.pk, "value": value, "why": why}
            for question, value, why in answered
        ]
    else:
        test.submission = record_submission(
            organisation=plan.organisation_id,
            method=Method.MYSTERY_SHOP,
            salesperson=salesperson,
            team=plan.team_id,
            answered_at=data.visited_at,
            answers=answered,
        )
    try:
        with transaction.atomic():
            test.save()
    except IntegrityError as error:  # leaving the atomic block rolls everything back
        raise LinkNotUsable from error
    return test


class AlreadyReviewed(Exception):
    """The test was approved or rejected meanwhile (a double click, another reviewer)."""


def _pending_for_update(test: MysteryTest) -> MysteryTest:
    test = (
        MysteryTest.objects.select_for_update(of=("self",)).select_related("plan").get(pk=test.pk)
    )
    if test.review_status != ReviewStatus.PENDING:
        raise AlreadyReviewed
    return test


@transaction.atomic
def approve_test(test: MysteryTest, *, reviewer, now: datetime) -> MysteryTest:
    """Approve a waiting test: its evidence is written now (dated at the visit), so the grades
    count it from here on. Raises AlreadyReviewed when it is no longer waiting."""
    test = _pending_for_update(test)
    questions = Question.objects.in_bulk([row["question"] for row in test.pending_answers])
    answers = [
        (questions[row["question"]], row["value"], row["why"])
        for row in test.pending_answers
        if row["question"] in questions
    ]
    test.submission = record_submission(
        organisation=test.plan.organisation_id,
        method=Method.MYSTERY_SHOP,
        salesperson=test.salesperson,
        team=test.plan.team_id,
        answered_at=test.visited_at,
        answers=answers,
    )
    test.review_status = ReviewStatus.APPROVED
    test.pending_answers = []
    test.reviewed_by, test.reviewed_at = reviewer, now
    test.save(
        update_fields=[
            "submission",
            "review_status",
            "pending_answers",
            "reviewed_by",
            "reviewed_at",
        ]
    )
    return test


@transaction.atomic
def reject_test(test: MysteryTest, *, reviewer, reason: str, now: datetime) -> MysteryTest:
    """Reject a waiting test with its reason: it never counts. Its plan stays done (the link
    took its one answer); a new visit needs a new plan. Raises AlreadyReviewed when it is no
    longer waiting."""
    if not reason.strip():
        raise ValueError("a rejection needs its reason")
    test = _pending_for_update(test)
    test.review_status = ReviewStatus.REJECTED
    test.rejection_reason = reason.strip()
    test.reviewed_by, test.reviewed_at = reviewer, now
    test.save(update_fields=["review_status", "rejection_reason", "reviewed_by", "reviewed_at"])
    return test


def answers_of(test: MysteryTest) -> list[tuple[Question, int, str]]:
    """A test's answers in the form's order, (question, value, why): the stored evidence of a
    test that counts, the waiting (or rejected) answers of one that does not."""
    if test.submission_id:
        return [
            (answer.question, answer.value, answer.why)
            for answer in test.submission.answers.in_question_order()
        ]
    questions = Question.objects.in_bulk([row["question"] for row in test.pending_answers])
    rows = [
        (questions[row["question"]], row["value"], row["why"])
        for row in test.pending_answers
        if row["question"] in questions
    ]
    return sorted(rows, key=lambda row: (row[0].position, row[0].pk))


def cancel_plan(plan: MysteryPlan, *, now: datetime) -> bool:
    """Cancel an open plan; False when it was used or cancelled already."""
    return bool(
        MysteryPlan.objects.filter(
            pk=plan.pk, used_at__isnull=True, cancelled_at__isnull=True
        ).update(cancelled_at=now)
    )


def note_photo_changes(
    checklist: Checklist, revision: ChecklistRevision | None, *, counts: dict, editor, now
) -> ChecklistRevision:
    """Add the photos a correction added or removed ({question code: (before, after)}) to its
    revision, or make one when only photos changed."""
    if revision is None:
        revision = ChecklistRevision(
            checklist=checklist,
            edited_by=editor,
            edited_at=now,
            previous=snapshot(checklist),
            changes=[],
        )
    revision.changes = list(revision.changes) + [
        {"field": f"{code}:photos", "before": before, "after": after}
        for code, (before, after) in counts.items()
    ]
    revision.save()
    return revision
