"""What to measure and do next: a user's to-do list as plain data, for the home page and the
weekly digest alike.

For a manager, every active salesperson of the teams they manage: the evidence a grade still
lacks (fewer customer surveys or methods than the rules ask), goals due within DUE_SOON_DAYS
(and those due with no new evidence since they were set), goals the engine shows reached and
waiting for the manager's confirmation; then the teams' open follow-ups, their mystery-shop
tests waiting for review and the manager's own draft checklists. For a salesperson: acknowledging their plan and rating themself.
Each item has one action a tap away (a path, with the person pre-selected where the page
allows it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from asiakaskunto.access import organisation_of, role_of, visible_teams
from asiakaskunto.models import Method, Role, Salesperson
from observations.models import Checklist, MysteryTest
from reports.person import reasons_of
from reports.scoring import NOT_ENOUGH_DATA
from reports.services import scoring_settings_for
from surveys.models import FollowUp, SurveyLink

from .models import CoachingPlan, Goal, GoalStatus, PlanStatus
from .progress import GoalState, engine_grades, goal_progress, new_evidence

DUE_SOON_DAYS = 14
FOLLOW_UPS_LISTED = 50


class TodoKind:
    """Stable codes of the to-do items, in the order a list shows kinds without a due date."""

    GOAL_REACHED = "GOAL_REACHED"
    GOAL_NO_EVIDENCE = "GOAL_NO_EVIDENCE"
    GOAL_DUE_SOON = "GOAL_DUE_SOON"
    FOLLOW_UP = "FOLLOW_UP"
    MYSTERY_REVIEW = "MYSTERY_REVIEW"
    FEW_CUSTOMER_SURVEYS = "FEW_CUSTOMER_SURVEYS"
    FEW_METHODS = "FEW_METHODS"
    DRAFT = "DRAFT"
    ACKNOWLEDGE_PLAN = "ACKNOWLEDGE_PLAN"
    SELF_ASSESS = "SELF_ASSESS"

    ORDER = (
        GOAL_REACHED,
        GOAL_NO_EVIDENCE,
        GOAL_DUE_SOON,
        FOLLOW_UP,
        MYSTERY_REVIEW,
        ACKNOWLEDGE_PLAN,
        SELF_ASSESS,
        FEW_CUSTOMER_SURVEYS,
        FEW_METHODS,
        DRAFT,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class TodoAction:
    label: str
    url: str  # a path: prefix settings.SITE_URL for an e-mail


@dataclass(frozen=True, slots=True, kw_only=True)
class TodoItem:
    """One thing to do, in plain words of the active language.

    ``kind`` a TodoKind code; ``url`` the path of the one-tap action named ``action``;
    ``more`` further actions (e.g. print the QR code beside sending invitations);
    ``person``/``person_id`` the salesperson it is about ("" / None when about no one)."""

    kind: str
    text: str
    url: str
    action: str
    due_date: date | None = None
    person: str = ""
    person_id: int | None = None
    more: tuple[TodoAction, ...] = field(default=())


def _with_person(path: str, person_id: int) -> str:
    return f"{path}?salesperson={person_id}"


def _short(day: date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _method_action(method: str, person_id: int) -> TodoAction:
    if method == Method.OBSERVATION:
        return TodoAction(
            label=_("Start an observation checklist"),
            url=_with_person(reverse("observations:checklist_create"), person_id),
        )
    if method == Method.MYSTERY_SHOP:
        return TodoAction(
            label=_("Plan a mystery visit"),
            url=_with_person(reverse("observations:plan_create"), person_id),
        )
    return TodoAction(
        label=_("Send invitations"),
        url=_with_person(reverse("surveys:invitations"), person_id),
    )


def todo_for(user, *, as_of: datetime | None) -> list[TodoItem]:
    """The user's to-do list as of ``as_of`` (None: now; see the module docstring), soonest due
    first, then by kind and person. Empty for leadership and users without a role."""
    role = role_of(user)
    organisation = organisation_of(user)
    if organisation is None:
        return []
    moment = as_of or timezone.now()
    today = timezone.localdate(moment)
    if role == Role.MANAGER:
        items = _manager_items(user, organisation, as_of=as_of, today=today)
    elif role == Role.SALESPERSON:
        items = _salesperson_items(user)
    else:
        items = []
    order = {kind: rank for rank, kind in enumerate(TodoKind.ORDER)}
    # A stable sort: within a kind, people by name and follow-ups oldest first, as listed.
    return sorted(
        items,
        key=lambda item: (item.due_date is None, item.due_date or today, order[item.kind]),
    )


def _manager_items(user, organisation, *, as_of, today: date) -> list[TodoItem]:
    people = list(
        Salesperson.objects.filter(organisation=organisation, team__managers=user, active=True)
        .order_by("name", "id")
        .distinct()
    )
    items: list[TodoItem] = []
    if people:
        grades = engine_grades(organisation, as_of=as_of, people=[p.pk for p in people])
        settings = scoring_settings_for(organisation)
        items += _evidence_items(people, grades, settings)
        items += _goal_items(people, grades, settings, today=today)
    items += _follow_up_items(user)
    items += _mystery_review_items(user)
    for draft in (
        Checklist.objects.drafts_of(user).select_related("salesperson").order_by("updated_at", "id")
    ):
        items.append(
            TodoItem(
                kind=TodoKind.DRAFT,
                text=_("Your observation of %(name)s is a draft: finish and submit it.")
                % {"name": draft.salesperson.name},
                url=reverse("observations:checklist_edit", args=[draft.pk]),
                action=_("Continue the draft"),
                person=draft.salesperson.name,
                person_id=draft.salesperson_id,
            )
        )
    return items


def _mystery_review_items(user) -> list[TodoItem]:
    """The mystery-shop tests of the manager's teams that wait for review (the organisation
    reviews tests before they count), oldest visit first."""
    waiting = (
        MysteryTest.objects.for_teams(visible_teams(user))
        .waiting_for_review()
        .select_related("salesperson", "plan__team")
        .order_by("visited_at", "id")
    )
    return [
        TodoItem(
            kind=TodoKind.MYSTERY_REVIEW,
            text=_(
                "The mystery-shop test of %(name)s (visited %(date)s) waits for your review: "
                "it counts only once approved."
            )
            % {
                "name": test.salesperson.name if test.salesperson else test.plan.team.name,
                "date": _short(timezone.localdate(test.visited_at)),
            },
            url=reverse("observations:plan_detail", args=[test.plan_id]),
            action=_("Review the test"),
            person=test.salesperson.name if test.salesperson else "",
            person_id=test.salesperson_id,
        )
        for test in waiting
    ]


def _evidence_items(people, grades, settings) -> list[TodoItem]:
    short = [
        person
        for person in people
        if (result := grades.people.get(person.pk)) is None or result.level == NOT_ENOUGH_DATA
    ]
    if not short:
        return []
    links = dict(
        SurveyLink.objects.filter(salesperson__in=short, active=True).values_list(
            "salesperson_id", "pk"
        )
    )
    items = []
    for person in short:
        result = grades.people.get(person.pk)
        for reason in reasons_of(result, settings):
            if reason["code"] == "FEW_CUSTOMER_SURVEYS":
                more = ()
                if person.pk in links:
                    more = (
                        TodoAction(
                            label=_("Print the QR code"),
                            url=reverse("surveys:link_print", args=[links[person.pk]]),
                        ),
                    )
                action = _method_action(Method.CUSTOMER, person.pk)
                items.append(
                    TodoItem(
                        kind=TodoKind.FEW_CUSTOMER_SURVEYS,
                        text=_("%(name)s: %(have)s of the %(need)s customer surveys a grade needs.")
                        % {"name": person.name, **reason},
                        url=action.url,
                        action=action.label,
                        person=person.name,
                        person_id=person.pk,
                        more=more,
                    )
                )
            elif reason["code"] == "FEW_METHODS":
                counts = result.submissions_per_method if result else {}
                missing = [m for m in Method.values if not counts.get(m)]
                actions = [_method_action(m, person.pk) for m in missing]
                items.append(
                    TodoItem(
                        kind=TodoKind.FEW_METHODS,
                        text=_(
                            "%(name)s: evidence from %(have)s of the %(need)s measuring methods a grade needs."
                        )
                        % {"name": person.name, **reason},
                        url=actions[0].url,
                        action=actions[0].label,
                        person=person.name,
                        person_id=person.pk,
                        more=tuple(actions[1:]),
                    )
                )
    return items


def _goal_items(people, grades, settings, *, today: date) -> list[TodoItem]:
    plans = list(
        CoachingPlan.objects.filter(salesperson__in=people, status=PlanStatus.OPEN)
        .select_related("salesperson")
        .prefetch_related(
            Prefetch(
                "goals",
                queryset=Goal.objects.filter(status=GoalStatus.OPEN)
                .select_related("question")
                .order_by("due_date", "id"),
            )
        )
        .order_by("id")
    )
    evidence = new_evidence(plans, as_of=grades.as_of)
    soon = today + timedelta(days=DUE_SOON_DAYS)
    items = []
    for plan in plans:
        person = plan.salesperson
        result = grades.people.get(person.pk)
        counts = evidence.get(person.pk, {})
        plan_url = reverse("coaching:plan", args=[plan.pk])
        for goal in plan.goals.all():
            progress = goal_progress(
                goal, result=result, settings=settings, counts=counts, today=today
            )
            names = {"name": person.name, "goal": goal.label, "date": _short(goal.due_date)}
            if progress.state == GoalState.ACHIEVED:
                items.append(
                    TodoItem(
                        kind=TodoKind.GOAL_REACHED,
                        text=_(
                            "%(name)s: “%(goal)s” has reached its target in the measurements; confirm it."
                        )
                        % names,
                        url=plan_url,
                        action=_("Open the plan"),
                        person=person.name,
                        person_id=person.pk,
                    )
                )
            elif goal.due_date <= soon and progress.new_total == 0:
                action = _method_action(Method.OBSERVATION, person.pk)
                items.append(
                    TodoItem(
                        kind=TodoKind.GOAL_NO_EVIDENCE,
                        text=_(
                            "%(name)s: “%(goal)s” is due on %(date)s with no new evidence since it was set."
                        )
                        % names,
                        url=action.url,
                        action=action.label,
                        due_date=goal.due_date,
                        person=person.name,
                        person_id=person.pk,
                        more=(TodoAction(label=_("Open the plan"), url=plan_url),),
                    )
                )
            elif goal.due_date <= soon:
                items.append(
                    TodoItem(
                        kind=TodoKind.GOAL_DUE_SOON,
                        text=_("%(name)s: “%(goal)s” is due on %(date)s (%(state)s).")
                        % {**names, "state": progress.state_label},
                        url=plan_url,
                        action=_("Open the plan"),
                        due_date=goal.due_date,
                        person=person.name,
                        person_id=person.pk,
                    )
                )
    return items


def _follow_up_items(user) -> list[TodoItem]:
    follow_ups = (
        FollowUp.objects.for_teams(visible_teams(user))
        .unresolved()
        .select_related("salesperson", "team")
        .order_by("answered_at", "id")[:FOLLOW_UPS_LISTED]
    )
    items = []
    for follow_up in follow_ups:
        who = follow_up.salesperson.name if follow_up.salesperson else follow_up.team.name
        items.append(
            TodoItem(
                kind=TodoKind.FOLLOW_UP,
                text=_("An unhappy customer of %(name)s (%(date)s) waits to be contacted.")
                % {"name": who, "date": _short(timezone.localdate(follow_up.answered_at))}
                if follow_up.status == FollowUp.Status.OPEN
                else _("An unhappy customer of %(name)s (%(date)s): contacted, not resolved yet.")
                % {"name": who, "date": _short(timezone.localdate(follow_up.answered_at))},
                url=reverse("surveys:follow_up", args=[follow_up.pk]),
                action=_("Open the follow-up"),
                person=follow_up.salesperson.name if follow_up.salesperson else "",
                person_id=follow_up.salesperson_id,
            )
        )
    return items


def _salesperson_items(user) -> list[TodoItem]:
    plan = (
        CoachingPlan.objects.filter(salesperson__user=user, status=PlanStatus.OPEN)
        .select_related("salesperson")
        .first()
    )
    if plan is None or plan.acknowledged_at is not None:
        return []
    url = reverse("coaching:plan", args=[plan.pk])
    items = [
        TodoItem(
            kind=TodoKind.ACKNOWLEDGE_PLAN,
            text=_("Your manager has made you a coaching plan: read and acknowledge it."),
            url=url,
            action=_("Open my plan"),
            person=plan.salesperson.name,
            person_id=plan.salesperson_id,
        )
    ]
    if not plan.self_ratings.exists():
        items.append(
            TodoItem(
                kind=TodoKind.SELF_ASSESS,
                text=_("Rate yourself on the same questions before the plan is agreed."),
                url=reverse("coaching:self_assessment", args=[plan.pk]),
                action=_("Rate yourself"),
                person=plan.salesperson.name,
                person_id=plan.salesperson_id,
            )
        )
    return items
