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
