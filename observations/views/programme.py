"""Leadership's mystery-shopping programme: the review setting, the scenarios (questions and
instructions for the shopper) and the recurring schedules."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from asiakaskunto.access import leadership_required, organisation_of
from asiakaskunto.models import Team

from ..forms import MysteryScenarioForm, MysteryScheduleForm, MysterySettingsForm
from ..models import MysteryScenario, MysterySchedule, MysterySettings
from ..scenarios import chosen_in_bank, mystery_bank
from ..schedules import generate_plans


def _settings_of(organisation) -> MysterySettings:
    return MysterySettings.objects.filter(organisation=organisation).first() or MysterySettings(
        organisation=organisation
    )


def get_scenario_for_user(request, pk) -> MysteryScenario:
    return get_object_or_404(MysteryScenario.objects.of(organisation_of(request.user)), pk=pk)


@leadership_required
def programme(request):
    organisation = organisation_of(request.user)
    scenarios = (
        MysteryScenario.objects.of(organisation)
        .annotate(question_count=Count("questions", distinct=True))
        .order_by("-active", "name", "id")
    )
    return render(
        request,
        "observations/programme.html",
        {
            "settings_form": MysterySettingsForm(instance=_settings_of(organisation)),
            "scenarios": scenarios,
            **_schedules_context(organisation),
        },
    )


def _schedules_context(organisation) -> dict:
    now = timezone.now()
    overdue = Q(
        plans__used_at__isnull=True,
        plans__cancelled_at__isnull=True,
        plans__expires_at__lte=now,
    )
    schedules = (
        MysterySchedule.objects.of(organisation)
        .select_related("team", "scenario")
        .annotate(
            plan_count=Count("plans", distinct=True),
            overdue_count=Count("plans", filter=overdue, distinct=True),
        )
        .order_by("-active", "team__name", "id")
    )
    return {"schedules": schedules}


def get_schedule_for_user(request, pk) -> MysterySchedule:
    return get_object_or_404(MysterySchedule.objects.of(organisation_of(request.user)), pk=pk)


def _schedule_form(request, schedule):
    organisation = organisation_of(request.user)
    teams = Team.objects.filter(organisation=organisation).order_by("name", "id")
    scenarios = MysteryScenario.objects.of(organisation).filter(
        Q(active=True) | Q(pk=getattr(schedule, "scenario_id", None))
    )
    form = MysteryScheduleForm(
        request.POST or None,
        instance=schedule,
        teams=teams,
        scenarios=scenarios.order_by("name", "id"),
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            saved.organisation = organisation
            if schedule is None:
                saved.created_by = request.user
            saved.save()
            made = generate_plans(saved, today=timezone.localdate())
        messages.success(
            request,
            ngettext(
                "Schedule saved; %(count)d visit planned for this period.",
                "Schedule saved; %(count)d visits planned for this period.",
                made,
            )
            % {"count": made},
        )
        return redirect("observations:programme")
    return render(request, "observations/schedule_form.html", {"form": form, "schedule": schedule})


@leadership_required
def schedule_create(request):
    return _schedule_form(request, None)


@leadership_required
def schedule_edit(request, pk):
    return _schedule_form(request, get_schedule_for_user(request, pk))


@require_POST
@leadership_required
def programme_settings(request):
    organisation = organisation_of(request.user)
    form = MysterySettingsForm(request.POST, instance=_settings_of(organisation))
    if form.is_valid():
        settings = form.save(commit=False)
        settings.updated_by = request.user
        settings.save()
        if settings.review_required:
            messages.success(request, _("Completed tests now wait for review before they count."))
        else:
            messages.success(request, _("Completed tests now count without review."))
    else:
        messages.error(request, _("The setting could not be saved; try again."))
    return redirect("observations:programme")


def _scenario_form(request, scenario):
    organisation = organisation_of(request.user)
    questions = mystery_bank(organisation)
    initial = {}
    if scenario is not None:  # ticked: the current versions of the questions it chose
        initial["questions"] = list(
            chosen_in_bank(questions, scenario.pk).values_list("pk", flat=True)
        )
    form = MysteryScenarioForm(
        request.POST or None,
        instance=scenario,
        initial=initial,
        organisation=organisation,
        questions=questions,
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
        if scenario is None:
            messages.success(request, _("Scenario “%(name)s” created.") % {"name": saved.name})
        else:
            messages.success(request, _("Scenario “%(name)s” saved.") % {"name": saved.name})
        return redirect("observations:programme")
    return render(request, "observations/scenario_form.html", {"form": form, "scenario": scenario})


@leadership_required
def scenario_create(request):
    return _scenario_form(request, None)


@leadership_required
def scenario_edit(request, pk):
    return _scenario_form(request, get_scenario_for_user(request, pk))
