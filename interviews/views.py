"""Interview mode: a manager or leadership asks a customer the survey's questions (on the phone
or face to face) and records the answers as the customer's. Who may interview whom is decided
in ``asiakaskunto.access`` (``interviewable_salespeople``, ``get_salesperson_to_interview``)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from asiakaskunto.access import (
    OwnGrade,
    get_salesperson_to_interview,
    interviewable_salespeople,
    manager_or_leadership_required,
    visible_teams,
)
from asiakaskunto.links import site_url
from surveys.models import SurveyResponse
from surveys.services import RepeatedForm, submit_survey, survey_questions

from .forms import InterviewForm

INTERVIEWS_SHOWN = 50


@manager_or_leadership_required
def interview_index(request):
    """Choose whose customer to interview; the latest interviews of the user's teams."""
    people = list(
        interviewable_salespeople(request.user)
        .select_related("team")
        .order_by("team__name", "name", "id")
    )
    chosen = request.GET.get("salesperson", "")
    if chosen:
        if any(str(person.pk) == chosen for person in people):
            return redirect("interviews:new", pk=int(chosen))
        messages.error(request, _("Choose a salesperson from the list."))
    interviews = (
        SurveyResponse.objects.filter(
            interviewed=True, submission__team__in=visible_teams(request.user)
        )
        .select_related("submission__salesperson", "submission__team", "interviewer")
        .order_by("-submission__answered_at", "-id")[:INTERVIEWS_SHOWN]
    )
    return render(
        request,
        "interviews/index.html",
        {"people": people, "interviews": interviews},
        status=400 if chosen else 200,
    )


@manager_or_leadership_required
def interview_new(request, pk):
    """The interview form for one salesperson's customer: GET shows it, POST stores it once
    (all or nothing) as the customer's survey, marked interviewed, with the interviewer."""
    try:
        salesperson = get_salesperson_to_interview(request, pk)
    except OwnGrade:
        return render(request, "interviews/own_grade.html", status=403)
    organisation = salesperson.organisation
    form = InterviewForm(
        request.POST or None,
        questions=survey_questions(organisation),
        ask_free_text=organisation.survey_free_text,
    )
    if request.method == "POST" and form.is_valid():
        try:
            submit_survey(
                form.answers(language=(get_language() or "fi")[:2]),
                organisation=organisation,
                team=salesperson.team,
                salesperson=salesperson,
                now=timezone.now(),
                base_url=site_url(request=request),
                interviewer=request.user,
            )
        except RepeatedForm:  # the same form sent twice (a double tap, a retry): stored once
            messages.info(request, _("This interview was saved already."))
            return redirect("interviews:index")
        messages.success(
            request,
            _("Interview saved: the answers count as a customer survey of %(name)s.")
            % {"name": salesperson.name},
        )
        return redirect("interviews:index")
    return render(
        request,
        "interviews/form.html",
        {"form": form, "salesperson": salesperson},
        status=400 if form.errors else 200,
    )
