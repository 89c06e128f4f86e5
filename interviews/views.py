"""Interview mode: a manager or leadership asks a customer the survey's questions (on the phone
or face to face) and records the answers as the customer's. Who may interview whom is decided
in ``asiakaskunto.access`` (``interviewable_salespeople``, ``get_salesperson_to_interview``)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
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
from surveys.models import Invitation, SurveyResponse
from surveys.services import (
    AlreadyAnswered,
    InvitationExpired,
    RepeatedForm,
    submit_survey,
    survey_questions,
)

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
    return _interview(request, salesperson)


@manager_or_leadership_required
def interview_call(request, pk):
    """A customer drawn in a sample who left only a phone: call and interview them. Their
    answers use up the invitation (the sample's response rate counts them)."""
    invitation = get_object_or_404(
        Invitation.objects.filter(
            team__in=visible_teams(request.user), sample_batch__isnull=False
        ).select_related("salesperson__team", "salesperson__organisation"),
        pk=pk,
    )
    salesperson = invitation.salesperson
    if salesperson.user_id is not None and salesperson.user_id == request.user.pk:
        return render(request, "interviews/own_grade.html", status=403)
    back = redirect("sampling:batch", pk=invitation.sample_batch_id)
    if invitation.used_at is not None:
        messages.info(request, _("This customer has answered already."))
        return back
    if invitation.expires_at <= timezone.now():
        messages.error(request, _("This customer's invitation has expired: do not call them."))
        return back
    return _interview(request, salesperson, invitation=invitation)


def _interview(request, salesperson, *, invitation=None):
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
                invitation=invitation,
                base_url=site_url(request=request),
                interviewer=request.user,
            )
        except RepeatedForm:  # the same form sent twice (a double tap, a retry): stored once
            messages.info(request, _("This interview was saved already."))
            return redirect("interviews:index")
        except AlreadyAnswered:
            messages.info(request, _("This customer has answered already."))
            return redirect("sampling:batch", pk=invitation.sample_batch_id)
        except InvitationExpired:
            messages.error(request, _("This customer's invitation has expired: do not call them."))
            return redirect("sampling:batch", pk=invitation.sample_batch_id)
        messages.success(
            request,
            _("Interview saved: the answers count as a customer survey of %(name)s.")
            % {"name": salesperson.name},
        )
        if invitation is not None:
            return redirect("sampling:batch", pk=invitation.sample_batch_id)
        return redirect("interviews:index")
    return render(
        request,
        "interviews/form.html",
        {"form": form, "salesperson": salesperson, "invitation": invitation},
        status=400 if form.errors else 200,
    )
