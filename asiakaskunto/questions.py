"""Each organisation's own question bank, and the one way the forms pick their questions.

Every form that asks questions (observation checklist, mystery-shop test, customer survey,
interviews, templates, coaching's self-assessment) asks ``active_questions(organisation,
method)``: the organisation's active questions of the current version, in its order.
``bank`` gives the current versions with the retired ones too (columns of history pages, the
bank editor); ``questions_by_code`` looks current versions up by code.
"""

from collections.abc import Iterable

from django.db import transaction

from .models import Organisation, Question
from .question_bank import default_rows


def _organisation_id(organisation: Organisation | int) -> int:
    return organisation if isinstance(organisation, int) else organisation.pk


def bank(organisation: Organisation | int, method: str | None = None):
    """The organisation's questions of the current version, active and retired, in the
    organisation's order (position, then id). A queryset: callers may narrow it further."""
    queryset = Question.objects.filter(
        organisation_id=_organisation_id(organisation), replaced_by__isnull=True
    )
    if method is not None:
        queryset = queryset.filter(method=method)
    return queryset.order_by("position", "id")


def active_questions(organisation: Organisation | int, method: str | None = None) -> list:
    """The questions ``organisation`` asks now with ``method`` (all methods when None): its
    active questions of the current version, in its order. One query."""
    return list(bank(organisation, method).filter(active=True))


def questions_by_code(organisation: Organisation | int, codes: Iterable[str] | None = None):
    """{code: Question} of the organisation's current versions (``codes`` only, when given).
    No query for an empty ``codes``."""
    queryset = bank(organisation)
    if codes is not None:
        codes = set(codes)
        if not codes:
            return {}
        queryset = queryset.filter(code__in=codes)
    return {question.code: question for question in queryset}


@transaction.atomic
def create_default_bank(organisation: Organisation) -> list[Question]:
    """Give ``organisation`` its own copy of the default bank (``question_bank.py``) unless it
    has questions already. Called when an organisation is created."""
    if Question.objects.filter(organisation=organisation).exists():
        return []
    return Question.objects.bulk_create(
        Question(organisation=organisation, **row) for row in default_rows()
    )


def organisation_created(sender, instance, created, raw=False, **kwargs):
    """post_save of Organisation: a new organisation starts with the default bank (fixtures
    loaded raw bring their own questions)."""
    if created and not raw:
        create_default_bank(instance)


# --- Editing a bank (leadership's bank editor) ----------------------------------------------

# What an answer was given under: once a question has answers, a change of any of these makes a
# new version (see ``Question``). A wording that was empty may be filled in place: no answer
# was given under it (a reader of that language saw the Finnish one, which stays).
VERSIONED_FIELDS = ("method", "area", "metric", "scale")
WORDINGS = ("text_fi", "text_sv", "text_en")
IN_PLACE_FIELDS = ("asks_why", "required")
EDITABLE_FIELDS = VERSIONED_FIELDS + WORDINGS + IN_PLACE_FIELDS

CODE_PREFIXES = {"OBSERVATION": "OBS", "MYSTERY_SHOP": "MYS", "CUSTOMER": "CUS"}


class QuestionChanged(Exception):
    """The question was made into a new version by someone else meanwhile."""


def makes_new_version(question: Question, fields: dict) -> bool:
    """Whether saving ``fields`` on ``question`` must make a new version: it has answers, and
    a versioned field or a wording that was not empty changes."""
    changed = any(getattr(question, name) != fields[name] for name in VERSIONED_FIELDS) or any(
        getattr(question, name) and getattr(question, name) != fields[name] for name in WORDINGS
    )
    return changed and question.answers.exists()


def _next_code(organisation_id: int, method: str) -> str:
    prefix = CODE_PREFIXES[method]
    numbers = [
        int(code[len(prefix) :])
        for code in Question.objects.filter(
            organisation_id=organisation_id, code__startswith=prefix
        ).values_list("code", flat=True)
        if code[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1}"


def _bank_changed(organisation_id: int) -> None:
    """After a committed edit: pages that keep the survey's questions read them anew."""
    from surveys.services import forget_survey_questions

    transaction.on_commit(lambda: forget_survey_questions(Organisation(pk=organisation_id)))


@transaction.atomic
def save_question(
    organisation: Organisation | int, fields: dict, *, question: Question | None = None
) -> Question:
    """Add a question to the organisation's bank (``question`` None: a new code, last in the
    order, active) or save an edit of one: in place, or as a new version when it has answers
    and a versioned field or an existing wording changes (``makes_new_version``): the new
    version takes the code, place and state; the old one is retired with ``replaced_by`` set.
    ``fields``: EDITABLE_FIELDS by name, validated already. All or nothing. Raises
    QuestionChanged when ``question`` has become an old version meanwhile."""
    organisation_id = _organisation_id(organisation)
    values = {name: fields[name] for name in EDITABLE_FIELDS}
    if question is None:
        last = (
            Question.objects.filter(organisation_id=organisation_id)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        created = Question.objects.create(
            organisation_id=organisation_id,
            code=_next_code(organisation_id, values["method"]),
            position=(last or 0) + 1,
            active=True,
            **values,
        )
        _bank_changed(organisation_id)
        return created
    current = Question.objects.select_for_update().get(
        pk=question.pk, organisation_id=organisation_id
    )
    if current.replaced_by_id is not None:
        raise QuestionChanged
    if makes_new_version(current, values):
        newest = (
            Question.objects.filter(organisation_id=organisation_id, code=current.code)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        new = Question.objects.create(
            organisation_id=organisation_id,
            code=current.code,
            version=newest + 1,
            position=current.position,
            active=current.active,
            **values,
        )
        current.replaced_by = new
        current.active = False
        current.save(update_fields=["replaced_by", "active"])
        _bank_changed(organisation_id)
        return new
    for name, value in values.items():
        setattr(current, name, value)
    current.save(update_fields=list(values))
    _bank_changed(organisation_id)
    return current


@transaction.atomic
def set_active(question: Question, active: bool) -> bool:
    """Retire (active False) or reactivate a current version; False when it is an old version
    (those stay retired: their newer version is the one to use)."""
    updated = Question.objects.filter(pk=question.pk, replaced_by__isnull=True).update(
        active=active
    )
    if updated:
        _bank_changed(question.organisation_id)
    return bool(updated)


@transaction.atomic
def move(question: Question, step: int) -> bool:
    """Move a current question ``step`` places (−1 up, +1 down) among its method's questions;
    the whole bank is renumbered 1, 2, … in the new order. False when it cannot move."""
    questions = list(bank(question.organisation_id).select_for_update().order_by("position", "id"))
    same = [q for q in questions if q.method == question.method]
    index = next((i for i, q in enumerate(same) if q.pk == question.pk), None)
    if index is None or not 0 <= index + step < len(same):
        return False
    mine, other = same[index], same[index + step]
    a, b = questions.index(mine), questions.index(other)
    questions[a], questions[b] = other, mine
    for position, item in enumerate(questions, start=1):
        item.position = position
    Question.objects.bulk_update(questions, ["position"])
    _bank_changed(question.organisation_id)
    return True
