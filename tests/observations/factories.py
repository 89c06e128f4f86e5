"""Factories and helpers for observations: checklists, mystery plans and form posts."""

import uuid
from datetime import timedelta

import factory
from django.utils import timezone

from asiakaskunto.models import Method, Organisation
from asiakaskunto.questions import active_questions, create_default_bank
from observations.models import Checklist, MysteryPlan


class MysteryPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MysteryPlan

    team = factory.LazyAttribute(lambda plan: plan.salesperson.team)
    organisation = factory.SelfAttribute("team.organisation")
    window_start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))
    window_end_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
    shopper_name = "Sari Shopper"
    shopper_email = "sari@example.com"


class ChecklistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Checklist

    organisation = factory.SelfAttribute("salesperson.organisation")
    observed_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    idempotency_key = factory.LazyFunction(uuid.uuid4)


def questions(method, organisation=None):
    """The organisation's active questions of ``method`` (the first organisation's when None:
    most tests have one)."""
    if organisation is None:
        organisation = Organisation.objects.order_by("id").first()
    return active_questions(organisation, method)


def checklist_post(salesperson, values=None, *, action="submit", key=None, **extra):
    """A checklist form post: values {question code: value}, notes {code: text} in extra."""
    notes = extra.pop("notes", {})
    observed_at = extra.pop("observed_at", timezone.localtime() - timedelta(minutes=30))
    data = {
        "salesperson": salesperson.pk if salesperson else "",
        "observed_at": observed_at.strftime("%Y-%m-%dT%H:%M"),
        "location": "Kassa",
        "general_note": "",
        "idempotency_key": str(key or uuid.uuid4()),
        "action": action,
    }
    organisation = salesperson.organisation if salesperson else None
    by_code = {q.code: q for q in questions(Method.OBSERVATION, organisation)}
    for code, value in (values or {}).items():
        data[f"q_{by_code[code].pk}"] = value
    for code, note in notes.items():
        data[f"note_{by_code[code].pk}"] = note
    data.update(extra)
    return data


def mystery_post(values=None, *, why=None, **extra):
    visited_at = extra.pop("visited_at", timezone.localtime() - timedelta(hours=2))
    data = {"visited_at": visited_at.strftime("%Y-%m-%dT%H:%M"), "description": "Kävin."}
    by_code = {q.code: q for q in questions(Method.MYSTERY_SHOP, extra.pop("organisation", None))}
    for code, value in (values or {}).items():
        data[f"q_{by_code[code].pk}"] = value
    for code, text in (why or {}).items():
        data[f"note_{by_code[code].pk}"] = text
    data.update(extra)
    return data


ALL_OBS = {"OBS1": 4, "OBS2": 5, "OBS3": 3}
ALL_MYS = {"MYS1": 4, "MYS2": 3, "MYS3": 5}


def ensure_question_bank():
    """Every organisation gets its bank when it is created; one created without the signal
    (raw fixtures) gets it here."""
    for organisation in Organisation.objects.filter(questions__isnull=True):
        create_default_bank(organisation)
