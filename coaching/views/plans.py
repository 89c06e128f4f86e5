"""Coaching plans: open one from a salesperson's development targets, follow its goals,
log sessions; the salesperson reads, self-assesses, acknowledges and comments.

Who may do what is decided in ``asiakaskunto/access.py``: a manager changes the plans of their
own teams' salespeople, leadership reads every plan, a salesperson reads their own.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asiakaskunto.access import (
    coached_salespeople,
    get_coaching_plan_for_coach,
    get_coaching_plan_for_user,
    get_goal_for_coach,
    manager_required,
    role_of,
    salesperson_required,
    visible_coaching_plans,
)
from asiakaskunto.models import Role
from reports.services import scoring_settings_for

from .. import services
from ..forms import (
    CommentForm,
    GoalAddForm,
    GoalEditForm,
    PlanForm,
    SelfAssessmentForm,
    SessionForm,
    parse_goal_choice,
)
from ..models import CoachingPlan, GoalStatus, PlanStatus
from ..pages import plan_page, self_assessment_questions
from ..progress import default_due_date, engine_grades

PLANS_SHOWN = 200


@login_required
def plan_list(request):
    """The plans the user may read, open ones first."""
    plans = list(
        visible_coaching_plans(request.user)
        .select_related("salesperson__team")
        .order_by("status", "-started_at", "-id")[:PLANS_SHOWN]
    )
    return render(
        request,
        "coaching/plan_list.html",
        {"plans": plans, "leadership": role_of(request.user) == Role.LEADERSHIP},
    )


@manager_required
def plan_new(request, pk):
    """A new plan pre-filled from the salesperson's development targets: one goal per area
    below the target level's floor (or per question, if the manager ticks those instead)."""
    salesperson = get_object_or_404(
        coached_salespeople(request.user).select_related("team", "organisation"), pk=pk
    )
    now = timezone.now()
    open_plan = CoachingPlan.objects.filter(salesperson=salesperson, status=PlanStatus.OPEN).first()
    if open_plan is not None and not services.close_if_finished(open_plan, now=now):
        messages.info(request, _("%(name)s has an open plan already.") % {"name": salesperson.name})
        return redirect(open_plan)
    organisation = salesperson.organisation
    settings = scoring_settings_for(organisation)
    grades = engine_grades(organisation, as_of=None, people=[salesperson.pk])
    result = grades.people.get(salesperson.pk)
    today = timezone.localdate(now)
    season = services.current_season(organisation, today)
    floor = settings.levels[settings.target_level].no_area_below
    proposals = services.proposals(result, organisation=organisation, settings=settings)
    form = PlanForm(
        request.POST or None,
        proposals=proposals,
        default_target=floor,
        default_due=default_due_date(season, today),
        today=today,
    )
    if request.method == "POST" and form.is_valid():
        goals = [
            services.GoalInput(
                area=p.area,
                question=p.question,
                target_score=form.cleaned_data[f"target_{p.key}"],
                due_date=form.cleaned_data[f"due_{p.key}"],
                actions=form.cleaned_data[f"actions_{p.key}"],
            )
            for p in form.chosen
        ]
        try:
            plan = services.start_plan(
                salesperson, goals, user=request.user, now=now, grades=grades
            )
        except services.PlanAlreadyOpen as error:
            messages.info(
                request, _("%(name)s has an open plan already.") % {"name": salesperson.name}
            )
            return redirect(error.plan)
        messages.success(request, _("Plan started for %(name)s.") % {"name": salesperson.name})
        return redirect(plan)
    return render(
        request,
        "coaching/plan_new.html",
        {
            "salesperson": salesperson,
            "form": form,
            "rows": form.rows(),
            "result": result,
            "season": season,
            "floor": floor,
            "target_level": settings.target_level,
        },
    )


@login_required
def plan_detail(request, pk):
    plan = get_coaching_plan_for_user(request, pk)
    now = timezone.now()
    services.close_if_finished(plan, now=now)
    role = role_of(request.user)
    page = plan_page(plan, now=now)
    is_coach = (
        role == Role.MANAGER
        and coached_salespeople(request.user).filter(pk=plan.salesperson_id).exists()
    )
    is_own = role == Role.SALESPERSON and plan.salesperson.user_id == request.user.pk
    return render(
        request,
        "coaching/plan_detail.html",
        {
            "page": page,
            "plan": plan,
            "is_coach": is_coach,
            "is_own": is_own,
            "comment_form": CommentForm() if (is_coach or is_own) and plan.is_open else None,
            "history": CoachingPlan.objects.filter(salesperson=plan.salesperson)
            .exclude(pk=plan.pk)
            .filter(pk__in=visible_coaching_plans(request.user))
            .order_by("-started_at", "-id")[:20],
        },
    )


def _goal_scores(plan) -> dict[str, float]:
    """The engine's score now per goal choice ("AREA:SKILLS", "Q:CUS1") for the salesperson."""
    result = engine_grades(plan.organisation, as_of=None, people=[plan.salesperson_id]).people.get(
        plan.salesperson_id
    )
    if result is None:
        return {}
    scores = {f"AREA:{area}": score.score for area, score in result.areas.items()}
    scores.update({f"Q:{q.question}": q.score for q in result.questions})
    return scores


@manager_required
def goal_add(request, pk):
    plan = get_coaching_plan_for_coach(request, pk)
    if not plan.is_open:
        messages.error(request, _("The plan is closed: it is kept as it was."))
        return redirect(plan)
    now = timezone.now()
    today = timezone.localdate(now)
    taken = {
        f"Q:{code}" if code else f"AREA:{area}"
        for area, code in plan.goals.filter(status=GoalStatus.OPEN).values_list(
            "area", "question__code"
        )
    }
    settings = scoring_settings_for(plan.organisation)
    form = GoalAddForm(
        request.POST or None,
        organisation=plan.organisation_id,
        scores=_goal_scores(plan),
        today=today,
        taken=taken,
        initial={
            "target_score": settings.levels[plan.target_level].no_area_below
            if plan.target_level in settings.levels
            else None,
            "due_date": default_due_date(plan.season, today),
        },
    )
    if request.method == "POST" and form.is_valid():
        area, question = parse_goal_choice(form.cleaned_data["goal"], plan.organisation_id)
        services.add_goal(
            plan,
            services.GoalInput(
                area=area,
                question=question,
                target_score=form.cleaned_data["target_score"],
                due_date=form.cleaned_data["due_date"],
                actions=form.cleaned_data["actions"],
            ),
            now=now,
        )
        messages.success(request, _("Goal added."))
        return redirect(plan)
    return render(request, "coaching/goal_form.html", {"plan": plan, "form": form, "adding": True})


@manager_required
def goal_edit(request, pk):
    goal = get_goal_for_coach(request, pk)
    plan = goal.plan
    if not (plan.is_open and goal.is_open):
        messages.error(request, _("Only an open goal of an open plan can be changed."))
        return redirect(plan)
    form = GoalEditForm(
        request.POST or None,
        instance=goal,
        today=timezone.localdate(),
        score_now=_goal_scores(plan).get(goal.choice_value),
    )
    if request.method == "POST" and form.is_valid():
        services.edit_goal(
            goal,
            target_score=form.cleaned_data["target_score"],
            due_date=form.cleaned_data["due_date"],
            actions=form.cleaned_data["actions"],
        )
        messages.success(request, _("Goal saved."))
        return redirect(plan)
    return render(
        request,
        "coaching/goal_form.html",
        {"plan": plan, "goal": goal, "form": form, "adding": False},
    )


@require_POST
@manager_required
def goal_drop(request, pk):
    goal = get_goal_for_coach(request, pk)
    try:
        services.drop_goal(goal, now=timezone.now())
        messages.success(request, _("Goal dropped."))
    except services.PlanNotOpen:
        messages.error(request, _("Only an open goal of an open plan can be changed."))
    return redirect(goal.plan)


@require_POST
@manager_required
def goal_focus(request, pk):
    goal = get_goal_for_coach(request, pk)
    try:
        services.set_focus(goal)
        messages.success(request, _("Focus set: %(goal)s.") % {"goal": goal.label})
    except services.PlanNotOpen:
        messages.error(request, _("Only an open goal of an open plan can be changed."))
    return redirect(goal.plan)


@require_POST
@manager_required
def goal_confirm(request, pk):
    """Confirm an achievement the engine shows; whatever the request carries is ignored."""
    goal = get_goal_for_coach(request, pk)
    try:
        services.confirm_achieved(goal, user=request.user, now=timezone.now())
        messages.success(request, _("Goal achieved: %(goal)s.") % {"goal": goal.label})
    except services.NotAchieved:
        messages.error(
            request,
            _(
                "The measurements do not show this goal achieved yet: the score must reach the target and not be provisional."
            ),
        )
    except services.PlanNotOpen:
        messages.error(request, _("Only an open goal of an open plan can be changed."))
    return redirect(goal.plan)


@manager_required
def session_new(request, pk):
    plan = get_coaching_plan_for_coach(request, pk)
    if not plan.is_open:
        messages.error(request, _("The plan is closed: it is kept as it was."))
        return redirect(plan)
    today = timezone.localdate()
    form = SessionForm(request.POST or None, plan=plan, today=today, initial={"held_on": today})
    if request.method == "POST" and form.is_valid():
        services.log_session(
            plan,
            held_on=form.cleaned_data["held_on"],
            goals=form.cleaned_data["goals"],
            notes=form.cleaned_data["notes"],
            next_step=form.cleaned_data["next_step"],
            user=request.user,
        )
        messages.success(request, _("Session logged."))
        return redirect(plan)
    return render(request, "coaching/session_form.html", {"plan": plan, "form": form})


def _own_plan(request, pk) -> CoachingPlan:
    """The salesperson's own plan (a salesperson sees no other, so anything else is a 404)."""
    return get_coaching_plan_for_user(request, pk)


@require_POST
@salesperson_required
def plan_acknowledge(request, pk):
    plan = _own_plan(request, pk)
    try:
        if services.acknowledge(plan, now=timezone.now()):
            messages.success(request, _("Plan acknowledged."))
    except services.PlanNotOpen:
        messages.error(request, _("The plan is closed: it is kept as it was."))
    return redirect(plan)


@require_POST
@login_required
def plan_comment(request, pk):
    """The salesperson, or their manager, comments on the plan."""
    plan = get_coaching_plan_for_user(request, pk)
    role = role_of(request.user)
    allowed = (role == Role.SALESPERSON and plan.salesperson.user_id == request.user.pk) or (
        role == Role.MANAGER
        and coached_salespeople(request.user).filter(pk=plan.salesperson_id).exists()
    )
    if not allowed:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    form = CommentForm(request.POST)
    if not plan.is_open:
        messages.error(request, _("The plan is closed: it is kept as it was."))
    elif form.is_valid():
        services.comment(plan, author=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Comment added."))
    else:
        for error in form.errors.get("text", []):
            messages.error(request, error)
    return redirect(plan)


@salesperson_required
def self_assessment(request, pk):
    plan = _own_plan(request, pk)
    questions = self_assessment_questions(plan.organisation_id)
    existing = {r.question_id: r.value for r in plan.self_ratings.all()}
    initial = {f"q_{q.code}": existing.get(q.pk) for q in questions if q.pk in existing}
    form = SelfAssessmentForm(request.POST or None, questions=questions, initial=initial)
    locked = plan.acknowledged_at is not None or not plan.is_open
    if request.method == "POST" and not locked and form.is_valid():
        try:
            services.save_self_ratings(plan, form.ratings, now=timezone.now())
        except services.PlanNotOpen:
            messages.error(request, _("The plan is agreed: the self-assessment is closed."))
            return redirect(plan)
        messages.success(request, _("Self-assessment saved."))
        return redirect(plan)
    if request.method == "POST" and locked:
        messages.error(request, _("The plan is agreed: the self-assessment is closed."))
        return redirect(plan)
    return render(
        request, "coaching/self_assessment.html", {"plan": plan, "form": form, "locked": locked}
    )
