"""Which questions a mystery shopper answers: the organisation's mystery-shop bank, or the
chosen part of it that a plan's scenario names."""

from asiakaskunto.models import Method, Question


def mystery_bank(organisation):
    """The organisation's active mystery-shop questions, in the bank's order."""
    return Question.objects.active().for_method(Method.MYSTERY_SHOP)


def questions_for_plan(plan) -> list[Question]:
    """What the plan's shopper is asked: its scenario's questions that are still in the bank,
    in the bank's order; the whole bank without a scenario (or when every one of the
    scenario's questions has been retired since)."""
    bank = mystery_bank(plan.organisation)
    if plan.scenario_id:
        chosen = list(bank.filter(mystery_scenarios=plan.scenario_id))
        if chosen:
            return chosen
    return list(bank)
