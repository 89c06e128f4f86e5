"""Which questions a mystery shopper answers: the organisation's mystery-shop bank, or the
chosen part of it that a plan's scenario names."""

from asiakaskunto.models import Method, Question
from asiakaskunto.questions import bank


def mystery_bank(organisation):
    """The organisation's active mystery-shop questions, in the bank's order (a queryset of
    what ``asiakaskunto.questions.active_questions`` gives)."""
    return bank(organisation, Method.MYSTERY_SHOP).filter(active=True)


def chosen_in_bank(questions, scenario_id):
    """The bank's questions a scenario chose, matched by code: a question edited into a new
    version since stays chosen (as its current version), a retired one drops out."""
    codes = Question.objects.filter(mystery_scenarios=scenario_id).values("code")
    return questions.filter(code__in=codes)


def questions_for_plan(plan) -> list[Question]:
    """What the plan's shopper is asked: its scenario's questions that are still in the bank,
    in the bank's order; the whole bank without a scenario (or when every one of the
    scenario's questions has been retired since)."""
    bank = mystery_bank(plan.organisation)
    if plan.scenario_id:
        chosen = list(chosen_in_bank(bank, plan.scenario_id))
        if chosen:
            return chosen
    return list(bank)
