"""Coaching's personal data (see ``privacy.registry``): a salesperson's coaching plans with
their goals, the self-assessment, the logged sessions and the comments on them.

About a customer: a goal keeps up to three "why" texts as they were when it was set
(``Goal.start_whys``), copies of customers' answers that go when the answers' texts go."""

from datetime import datetime

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from asiakaskunto.models import Method
from privacy.registry import Finding, register
from reports.person import why_source
from surveys.privacy import customer_answers

from .models import CoachingPlan, CoachingSession, Goal


def _who(user) -> str | None:
    return user.username if user else None


def _at(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_person(salesperson) -> dict:
    plans = (
        CoachingPlan.objects.filter(salesperson=salesperson)
        .select_related("season", "created_by")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.select_related("question").order_by("id")),
            Prefetch(
                "sessions",
                queryset=CoachingSession.objects.select_related("logged_by")
                .prefetch_related("goals")
                .order_by("held_on", "id"),
            ),
            "comments__author",
            "self_ratings__question",
        )
        .order_by("started_at", "id")
    )
    return {
        "plans": [
            {
                "id": plan.pk,
                "status": plan.status,
                "season": plan.season.name if plan.season else None,
                "target_level": plan.target_level,
                "started_at": _at(plan.started_at),
                "created_by": _who(plan.created_by),
                "acknowledged_at": _at(plan.acknowledged_at),
                "closed_at": _at(plan.closed_at),
                "goals": [
                    {
                        "id": goal.pk,
                        "area": goal.area,
                        "question": goal.question.code if goal.question else None,
                        "target_score": goal.target_score,
                        "due_date": goal.due_date.isoformat(),
                        "actions": goal.actions,
                        "focus": goal.focus,
                        "status": goal.status,
                        "start_score": goal.start_score,
                        "start_n": goal.start_n,
                        "start_whys": goal.start_whys,
                        "achieved_at": _at(goal.achieved_at),
                        "achieved_score": goal.achieved_score,
                    }
                    for goal in plan.goals.all()
                ],
                "self_assessment": [
                    {
                        "question": rating.question.code,
                        "value": rating.value,
                        "rated_at": _at(rating.rated_at),
                    }
                    for rating in sorted(plan.self_ratings.all(), key=lambda r: r.question_id)
                ],
                "sessions": [
                    {
                        "held_on": session.held_on.isoformat(),
                        "goals": sorted(goal.pk for goal in session.goals.all()),
                        "notes": session.notes,
                        "next_step": session.next_step,
                        "logged_by": _who(session.logged_by),
                    }
                    for session in plan.sessions.all()
                ],
                "comments": [
                    {
                        "at": _at(comment.created_at),
                        "by": _who(comment.author),
                        "text": comment.text,
                    }
                    for comment in sorted(plan.comments.all(), key=lambda c: (c.created_at, c.pk))
                ],
            }
            for plan in plans
        ]
    }


def erase_person(salesperson) -> int:
    """Delete the plans; their goals, self-ratings, sessions and comments go with them."""
    return CoachingPlan.objects.filter(salesperson=salesperson).delete()[0]


def _customer_labels() -> set[str]:
    labels = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            labels.add(str(why_source(Method.CUSTOMER)))
    return labels


def _from_customer(why: dict, labels: set[str]) -> bool:
    """Whether a goal's quote is a customer's words; quotes saved before they carried their
    method only have the label of their source, in the language of whoever set the goal."""
    if "method" in why:
        return why["method"] == Method.CUSTOMER
    return why.get("source") in labels


def _quoting_goals(organisation):
    return (
        Goal.objects.filter(plan__organisation=organisation)
        .exclude(start_whys=[])
        .select_related("plan__salesperson")
        .order_by("id")
    )


def _customers_quotes(organisation, contact):
    """(goal, the quotes in it that are the customer's): the texts of their own answers (the
    same salesperson and moment) and any quote that holds their contact."""
    answers = customer_answers(organisation, contact)
    labels = _customer_labels()
    found = []
    for goal in _quoting_goals(organisation):
        quotes = [
            why
            for why in goal.start_whys
            if contact.found_in(why.get("text", ""))
            or (
                _from_customer(why, labels)
                and (goal.plan.salesperson_id, datetime.fromisoformat(why["answered_at"]))
                in answers
            )
        ]
        if quotes:
            found.append((goal, quotes))
    return found


def find_customer(organisation, contact) -> list[Finding]:
    return [
        Finding(
            kind=_("coaching goal quote"),
            at=datetime.fromisoformat(why["answered_at"]),
            summary=why.get("text", ""),
            where=str(goal.plan.salesperson),
        )
        for goal, quotes in _customers_quotes(organisation, contact)
        for why in quotes
    ]


def _drop(goal, quotes) -> int:
    goal.start_whys = [why for why in goal.start_whys if why not in quotes]
    goal.save(update_fields=["start_whys"])
    return len(quotes)


def erase_customer(organisation, contact) -> int:
    """Remove the customer's quotes from the goals (the goals' numbers stay)."""
    return sum(_drop(goal, quotes) for goal, quotes in _customers_quotes(organisation, contact))


def apply_retention(organisation, policy, now) -> dict[str, int]:
    """Customers' quotes in goals whose answers are older than the organisation keeps them."""
    labels = _customer_labels()
    removed = 0
    for goal in _quoting_goals(organisation):
        old = [
            why
            for why in goal.start_whys
            if _from_customer(why, labels)
            and datetime.fromisoformat(why["answered_at"]) < policy.customer_data_before
        ]
        if old:
            removed += _drop(goal, old)
    return {"goal_whys": removed}


register(
    "coaching",
    export_person=export_person,
    erase_person=erase_person,
    find_customer=find_customer,
    erase_customer=erase_customer,
    apply_retention=apply_retention,
)
