"""The customer's pages under /s/: no account, no JavaScript needed, in fi/sv/en."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from asiakaskunto.links import site_url

from ..forms import SurveyForm
from ..models import Invitation
from ..page_views import count_link_view, mark_opened
from ..services import (
    AlreadyAnswered,
    InvitationExpired,
    RepeatedForm,
    active_link,
    submit_survey,
    survey_questions,
)
from ..throttle import first_time, forget, rate_limited, repeat_key

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def _language(request, default: str | None = None) -> str:
    """``?lang=`` from the link or the switcher, else the default (an invitation's language),
    else the browser's choice that LocaleMiddleware made."""
    requested = (request.GET.get("lang") or "")[:5]
    if requested in LANGUAGE_CODES:
        return requested
    if default in LANGUAGE_CODES:
        return default
    current = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return current if current in LANGUAGE_CODES else settings.LANGUAGE_CODE


def _page(request, template, context=None, *, status=200, language=None):
    language = language or _language(request)
    translation.activate(language)
    context = {"language": language, "languages": settings.LANGUAGES, **(context or {})}
    return render(request, template, context, status=status)


def _invalid_link(request):
    return _page(request, "surveys/public/invalid_link.html", status=404)


def _thanks_url(language: str, *, repeat=False) -> str:
    url = reverse("surveys_public:thanks") + f"?lang={language}"
    return url + "&repeat=1" if repeat else url


def _survey(
    request,
    *,
    organisation,
    team,
    salesperson,
    questions,
    team_members,
    link=None,
    invitation=None,
):
    """The survey form for one way in: GET shows it, POST validates and stores once."""
    language = _language(request, invitation.language if invitation else None)
    translation.activate(language)
    form_kwargs = {
        "questions": questions,
        "team_members": team_members,
        "ask_free_text": organisation.survey_free_text,
    }
    context = {
        "organisation": organisation,
        "team": team,
        "salesperson": salesperson,
        "language": language,
        "languages": settings.LANGUAGES,
    }
    if request.method != "POST":
        if request.method == "GET":  # for the response rates (a HEAD shows nobody anything)
            if link is not None:
                count_link_view(link.pk, day=timezone.localdate())
            elif invitation is not None:
                mark_opened(invitation, now=timezone.now())
        context["form"] = SurveyForm(**form_kwargs)
        return render(request, "surveys/public/survey.html", context)

    if link is not None and rate_limited(request):
        return render(request, "surveys/public/rate_limited.html", context, status=429)
    form = SurveyForm(request.POST, **form_kwargs)
    if not form.is_valid():
        context["form"] = form
        return render(request, "surveys/public/survey.html", context, status=400)
    if team_members is not None:
        salesperson = form.salesperson_choice()
    answers = form.answers(language=language)
    key = None
    if link is not None and not answers.form_key:
        # A form carries its own key, and the database refuses it twice (RepeatedForm below):
        # that tells a double click or retry from the next customer on the same device. A post
        # without one (an old page, a hand-made post) counts as a repeat when this browser sent
        # the same answers within a short time.
        key = repeat_key(request, link_id=link.pk)
        if not first_time(key):
            return HttpResponseRedirect(_thanks_url(language, repeat=True))
    try:
        submit_survey(
            answers,
            organisation=organisation,
            team=team,
            salesperson=salesperson,
            now=timezone.now(),
            link=link,
            invitation=invitation,
            base_url=site_url(request=request),
        )
    except AlreadyAnswered:
        return render(request, "surveys/public/already_answered.html", context, status=409)
    except InvitationExpired:
        return render(request, "surveys/public/expired.html", context, status=410)
    except RepeatedForm:
        return HttpResponseRedirect(_thanks_url(language, repeat=True))
    except Exception:
        if key:
            forget(key)
        raise
    return HttpResponseRedirect(_thanks_url(language))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def survey_by_link(request, token):
    link = active_link(token)
    if link is None or not link.usable:
        return _invalid_link(request)
    return _survey(
        request,
        organisation=link.organisation,
        team=link.team,
        salesperson=link.salesperson,
        questions=link.questions,
        team_members=link.team_members,
        link=link,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def survey_by_invitation(request, token):
    invitation = (
        Invitation.objects.select_related("organisation", "team", "salesperson")
        .filter(token=token)
        .first()
    )
    if invitation is None:
        return _invalid_link(request)
    language = _language(request, invitation.language)
    if invitation.used_at is not None:
        status = 409 if request.method == "POST" else 200
        return _page(
            request, "surveys/public/already_answered.html", status=status, language=language
        )
    if invitation.expires_at <= timezone.now():
        return _page(request, "surveys/public/expired.html", status=410, language=language)
    return _survey(
        request,
        organisation=invitation.organisation,
        team=invitation.team,
        salesperson=invitation.salesperson,
        questions=survey_questions(invitation.organisation),
        team_members=None,
        invitation=invitation,
    )


def thanks(request):
    return _page(request, "surveys/public/thanks.html", {"repeat": "repeat" in request.GET})


def csrf_failure(request, reason="", template_name=None):
    """Every form's CSRF failure: "the form expired, reload the page", in the user's language."""
    return render(
        request,
        "surveys/public/csrf_failure.html",
        {"language": translation.get_language(), "languages": settings.LANGUAGES},
        status=403,
    )
