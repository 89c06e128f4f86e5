"""Mystery-shopper plans for managers and leadership: plan, list, copy or e-mail the link,
cancel, see the result."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asiakaskunto.access import (
    manager_or_leadership_required,
    organisation_of,
    visible_salespeople,
    visible_teams,
)
from asiakaskunto.links import absolute_url, site_url
from photos.services import photos_by_question

from ..forms import MysteryPlanForm, ReviewForm
from ..models import MysteryPlan, MysteryScenario, MysteryTest, PlanStatus, ReviewStatus
from ..services import answers_of, cancel_plan
from ..tasks import send_mystery_link


def get_plan_for_user(request, pk) -> MysteryPlan:
    queryset = MysteryPlan.objects.for_teams(visible_teams(request.user)).select_related(
        "team", "salesperson", "created_by", "scenario"
    )
    return get_object_or_404(queryset, pk=pk)


def enqueue_link_email(request, plan: MysteryPlan):
    language = translation.get_language() or "fi"
    base = site_url(request=request)
    transaction.on_commit(lambda: send_mystery_link.enqueue(plan.pk, language, base=base))


@manager_or_leadership_required
def plan_list(request):
    teams = visible_teams(request.user)
    plans = MysteryPlan.objects.for_teams(teams).select_related("team", "salesperson", "test")
    now = timezone.now()
    filters = {
        "status": request.GET.get("status", ""),
        "team": request.GET.get("team", ""),
        "salesperson": request.GET.get("salesperson", ""),
    }
    if filters["status"] in PlanStatus.values:
        plans = plans.with_status(filters["status"], now=now)
    if filters["team"].isdigit():
        plans = plans.filter(team_id=int(filters["team"]))
    if filters["salesperson"].isdigit():
        person = int(filters["salesperson"])
        plans = plans.filter(salesperson_id=person) | plans.filter(test__salesperson_id=person)
    page = Paginator(plans.order_by("-window_end_date", "-id"), 25).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "observations/plan_list.html",
        {
            "page": page,
            "now": now,
            "filters": filters,
            "statuses": PlanStatus.choices,
            "teams": teams.order_by("name", "id"),
            "salespeople": visible_salespeople(request.user).order_by("name", "id"),
            "query": query.urlencode(),
            "waiting_count": MysteryTest.objects.for_teams(teams).waiting_for_review().count(),
        },
    )


@manager_or_leadership_required
def plan_create(request):
    teams = visible_teams(request.user).order_by("name", "id")
    salespeople = (
        visible_salespeople(request.user).active().select_related("team").order_by("name", "id")
    )
    scenarios = (
        MysteryScenario.objects.of(organisation_of(request.user)).active().order_by("name", "id")
    )
    if request.method == "POST":
        form = MysteryPlanForm(
            request.POST, teams=teams, salespeople=salespeople, scenarios=scenarios
        )
        if form.is_valid():
            data = form.cleaned_data
            with transaction.atomic():
                plan = MysteryPlan.objects.create(
                    organisation=organisation_of(request.user),
                    team=data["team"],
                    salesperson=data["salesperson"],
                    window_start_date=data["window_start_date"],
                    window_end_date=data["window_end_date"],
                    shopper_name=data["shopper_name"].strip(),
                    shopper_email=data["shopper_email"],
                    instructions=data["instructions"].strip(),
                    scenario=data["scenario"],
                    created_by=request.user,
                )
                if data["send_email"]:
                    enqueue_link_email(request, plan)
            if data["send_email"]:
                messages.success(request, _("Visit planned and the link sent by e-mail."))
            else:
                messages.success(request, _("Visit planned. Copy the link to the shopper."))
            return redirect(plan)
    else:
        initial = {}
        for name in ("salesperson", "scenario"):
            if request.GET.get(name, "").isdigit():
                initial[name] = int(request.GET[name])
        form = MysteryPlanForm(
            initial=initial, teams=teams, salespeople=salespeople, scenarios=scenarios
        )
    return render(request, "observations/plan_form.html", {"form": form})


@manager_or_leadership_required
def plan_detail(request, pk):
    return plan_detail_page(request, get_plan_for_user(request, pk))


def plan_detail_page(request, plan, *, review_form=None, status=200):
    test = (
        MysteryTest.objects.select_related("salesperson", "reviewed_by").filter(plan=plan).first()
        if plan.used_at
        else None
    )
    waiting = test is not None and test.review_status == ReviewStatus.PENDING
    return render(
        request,
        "observations/plan_detail.html",
        {
            "plan": plan,
            "plan_link": absolute_url(plan.public_path, request=request),
            "status": plan.status,
            "test": test,
            "answers": answers_of(test) if test is not None else [],
            "photos": photos_by_question(test.photos.in_order()) if test is not None else {},
            "review_form": (review_form or ReviewForm()) if waiting else None,
        },
        status=status,
    )


@require_POST
@manager_or_leadership_required
def plan_send(request, pk):
    plan = get_plan_for_user(request, pk)
    if plan.status != PlanStatus.PLANNED:
        messages.error(request, _("Only a planned visit's link can be sent."))
    elif not plan.shopper_email:
        messages.error(request, _("Add the shopper's e-mail address first."))
    else:
        enqueue_link_email(request, plan)
        messages.success(request, _("Link sent to %(email)s.") % {"email": plan.shopper_email})
    return redirect(plan)


@require_POST
@manager_or_leadership_required
def plan_cancel(request, pk):
    plan = get_plan_for_user(request, pk)
    if cancel_plan(plan, now=timezone.now()):
        messages.success(request, _("Visit cancelled; its link no longer works."))
    else:
        messages.info(request, _("This visit was done or cancelled already."))
    return redirect(plan)
