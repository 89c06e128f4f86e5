"""Checklist templates: which of the organisation's observation questions a checklist asks, and
in what order; saving a template (leadership) all or nothing."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, Q, When

from asiakaskunto.models import Method, Question
from asiakaskunto.questions import bank

from .models import ChecklistTemplate, ChecklistTemplateQuestion


def bank_questions(organisation):
    """The organisation's active observation questions, in the bank's order: what a checklist
    without a template asks, and what a template may choose from (a queryset of what
    ``asiakaskunto.questions.active_questions`` gives)."""
    return bank(organisation, Method.OBSERVATION).filter(active=True)


def checklist_questions(organisation, *, template=None, answered_ids=()):
    """The questions a checklist asks: the template's (in its order) or the whole bank, plus
    any question the checklist has answered already (a question retired or taken out of the
    template since keeps its answer editable), those last."""
    answered_ids = [int(pk) for pk in answered_ids]
    bank = bank_questions(organisation)
    if answered_ids:
        # A version answered takes the place of its code's current one (one row per code).
        older = Q(code__in=Question.objects.filter(pk__in=answered_ids).values("code"))
        bank = bank.exclude(older & ~Q(pk__in=answered_ids))
    if template is None:
        condition = Q(pk__in=bank.values("pk")) | Q(pk__in=answered_ids)
        return Question.objects.filter(condition).order_by("position", "id")
    # By code: a question edited into a new version since stays in the template as its current
    # version; a retired one drops out.
    by_code = template_positions(template)
    positions = {
        pk: by_code[code]
        for pk, code in bank.filter(code__in=list(by_code)).values_list("pk", "code")
    }
    extra = [pk for pk in answered_ids if pk not in positions]
    order = Case(
        *(When(pk=pk, then=position) for pk, position in positions.items()),
        default=10_000,
        output_field=IntegerField(),
    )
    return (
        Question.objects.filter(Q(pk__in=list(positions)) | Q(pk__in=extra))
        .annotate(template_position=order)
        .order_by("template_position", "position", "id")
    )


def template_positions(template) -> dict[str, int]:
    """{question code: place in the template} (the template keeps the question's rows as they
    were chosen; their codes name the current versions)."""
    return dict(
        ChecklistTemplateQuestion.objects.filter(template=template).values_list(
            "question__code", "position"
        )
    )


@dataclass
class TemplateInput:
    name_fi: str
    name_sv: str
    name_en: str
    questions: list[Question]  # in the template's order


class DuplicateTemplateName(Exception):
    """Another template of the organisation has this Finnish name."""


def save_template(
    organisation, data: TemplateInput, *, template: ChecklistTemplate | None = None
) -> ChecklistTemplate:
    """Create or update a template with its questions in order, all or nothing."""
    try:
        with transaction.atomic():
            if template is None:
                template = ChecklistTemplate(organisation=organisation)
            template.name_fi = data.name_fi
            template.name_sv = data.name_sv
            template.name_en = data.name_en
            template.save()
            template.entries.all().delete()
            ChecklistTemplateQuestion.objects.bulk_create(
                ChecklistTemplateQuestion(template=template, question=question, position=index)
                for index, question in enumerate(data.questions, start=1)
            )
    except IntegrityError as error:
        raise DuplicateTemplateName from error
    return template
