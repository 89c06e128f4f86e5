"""Staff pages under /surveys/: standing links with QR codes, invitations, follow-ups.
Managers see their own teams (others are not found), leadership everything, salespeople 403."""

import io
import statistics
from datetime import timedelta

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from asiakaskunto.access import (
    get_salesperson_for_user,
    get_team_for_user,
    manager_or_leadership_required,
    organisation_of,
    visible_salespeople,
    visible_teams,
)
from asiakaskunto.links import absolute_url, site_url
from sampling.rates import RATE_DAYS, link_rates

from ..forms import FollowUpFilterForm, FollowUpForm, InvitationForm
from ..invitations import create_invitations
from ..models import FollowUp, Invitation, SurveyLink
from ..services import (
    follow_up_history,
    follow_up_rule,
    update_follow_up,
    with_unhappy_answers,
)

INVITATIONS_SHOWN = 100
FOLLOW_UPS_SHOWN = 200
RESOLUTION_WINDOW_DAYS = 365


def _links_for(user):
    return SurveyLink.objects.for_teams(visible_teams(user)).select_related(
        "team", "salesperson", "organisation"
    )


def get_link_for_user(request, pk) -> SurveyLink:
    return get_object_or_404(_links_for(request.user), pk=pk)


def link_url(link: SurveyLink, *, request) -> str:
    return absolute_url(
        reverse("surveys_public:link", kwargs={"token": link.token}), request=request
    )


@manager_or_leadership_required
def link_list(request):
    teams = list(visible_teams(request.user).order_by("name", "id"))
    people = list(
        visible_salespeople(request.user).active().select_related("team").order_by("name", "id")
    )
    links = list(_links_for(request.user))
    team_links = {link.team_id: link for link in links if link.is_team_link}
    person_links = {link.salesperson_id: link for link in links if not link.is_team_link}
    rows = []
    for team in teams:
        rows.append(
            {
                "team": team,
                "link": team_links.get(team.pk),
                "people": [
                    {"person": person, "link": person_links.get(person.pk)}
                    for person in people
                    if person.team_id == team.pk
                ],
            }
        )
    # Response rates: the links' page views against their answers (two queries).
    rates = link_rates(
        [link.pk for link in links], since=timezone.localdate() - timedelta(days=RATE_DAYS - 1)
    )
    for row in rows:
        for item in [row, *row["people"]]:
            if item["link"]:
                item["url"] = link_url(item["link"], request=request)
                item["rates"] = rates.get(item["link"].pk)
    return render(request, "surveys/link_list.html", {"rows": rows, "rate_days": RATE_DAYS})


@require_POST
@manager_or_leadership_required
def link_create(request):
    """A standing link for a team (``team``) or a salesperson (``salesperson``)."""
    try:
        if request.POST.get("salesperson"):
            person = get_salesperson_for_user(request, _int(request.POST["salesperson"]))
            with transaction.atomic():
                SurveyLink.objects.create(
                    organisation=person.organisation, team=person.team, salesperson=person
                )
            messages.success(request, _("Link created for %(name)s.") % {"name": person.name})
        else:
            team = get_team_for_user(request, _int(request.POST.get("team")))
            with transaction.atomic():
                SurveyLink.objects.create(organisation=team.organisation, team=team)
            messages.success(request, _("Link created for %(name)s.") % {"name": team.name})
    except IntegrityError:
        messages.info(request, _("The link exists already."))
    return redirect("surveys:links")


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@require_POST
@manager_or_leadership_required
def link_rotate(request, pk):
    """A new token for the link: the old link and every printed QR code stop working, so the
    first post only asks to confirm (no JavaScript needed); the confirmed one rotates."""
    link = get_link_for_user(request, pk)
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "confirm.html",
            {
                "confirm_title": _("Make a new link for %(name)s?") % {"name": link},
                "confirm_text": _(
                    "The current link and its printed QR code stop working at once: customers "
                    "who scan an old code get an error until you print the new one."
                ),
                "confirm_button": _("Make a new link"),
                "confirm_action": reverse("surveys:link_rotate", args=[link.pk]),
                "confirm_fields": [],
                "cancel_url": reverse("surveys:links"),
            },
        )
    link.rotate()
    messages.success(
        request,
        _("New link made for %(name)s; the old link and QR code no longer work.") % {"name": link},
    )
    return redirect("surveys:links")


@require_POST
@manager_or_leadership_required
def link_toggle(request, pk):
    link = get_link_for_user(request, pk)
    link.active = not link.active
    link.save(update_fields=["active"])
    if link.active:
        messages.success(request, _("Link of %(name)s switched on.") % {"name": link})
    else:
        messages.success(request, _("Link of %(name)s switched off.") % {"name": link})
    return redirect("surveys:links")


def _qr(url: str, **options):
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, **options)
    code.add_data(url)
    code.make(fit=True)
    return code


@manager_or_leadership_required
def link_qr_png(request, pk):
    link = get_link_for_user(request, pk)
    buffer = io.BytesIO()
    _qr(link_url(link, request=request), box_size=12).make_image().save(buffer, format="PNG")
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    if "download" in request.GET:
        response["Content-Disposition"] = f'attachment; filename="survey-qr-{link.pk}.png"'
    return response


@manager_or_leadership_required
def link_qr_svg(request, pk):
    link = get_link_for_user(request, pk)
    image = _qr(link_url(link, request=request), box_size=10).make_image(
        image_factory=qrcode.image.svg.SvgPathImage
    )
    response = HttpResponse(image.to_string(encoding="unicode"), content_type="image/svg+xml")
    if "download" in request.GET:
        response["Content-Disposition"] = f'attachment; filename="survey-qr-{link.pk}.svg"'
    return response


@manager_or_leadership_required
def link_print(request, pk):
    """A printable A5 page for the counter: the QR code, the address and a short invitation."""
    link = get_link_for_user(request, pk)
    return render(
        request, "surveys/link_print.html", {"link": link, "url": link_url(link, request=request)}
    )


@manager_or_leadership_required
def invitation_list(request):
    salespeople = visible_salespeople(request.user).active().order_by("name", "id")
    form = InvitationForm(
        request.POST or None,
        request.FILES or None,
        salespeople=salespeople,
        languages=settings.LANGUAGES,
        initial={"language": "fi", "salesperson": request.GET.get("salesperson")},
    )
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["salesperson"]
        invitations = create_invitations(
            salesperson=person,
            addresses=form.cleaned_data["addresses"],
            language=form.cleaned_data["language"],
            created_by=request.user,
            now=timezone.now(),
            base=site_url(request=request),
        )
        messages.success(
            request,
            ngettext(
                "Sent %(count)d invitation for %(name)s.",
                "Sent %(count)d invitations for %(name)s.",
                len(invitations),
            )
            % {"count": len(invitations), "name": person.name},
        )
        return redirect("surveys:invitations")
    now = timezone.now()
    invitations = list(
        Invitation.objects.for_teams(visible_teams(request.user))
        .select_related("salesperson")
        .order_by("-created_at", "-id")[:INVITATIONS_SHOWN]
    )
    for invitation in invitations:
        invitation.status = invitation.status_at(now)
    return render(
        request,
        "surveys/invitation_list.html",
        {
            "form": form,
            "invitations": invitations,
            "status": Invitation.Status,
            "status_labels": dict(Invitation.Status.choices),
        },
        status=400 if form.errors else 200,
    )


def _hours(durations: list[float]) -> dict:
    return {
        "median": statistics.median(durations) if durations else None,
        "mean": statistics.fmean(durations) if durations else None,
    }


def _resolution_stats(follow_ups, teams, now):
    """Per team, over the follow-ups answered in the last year: how many are resolved and how
    many not, the median and mean hours from the answer to the first contact, and from the
    answer to the resolution (two queries)."""
    since = now - timedelta(days=RESOLUTION_WINDOW_DAYS)
    to_resolve: dict[int, list[float]] = {}
    to_contact: dict[int, list[float]] = {}
    handled = follow_ups.filter(
        Q(contacted_at__isnull=False) | Q(time_to_resolve__isnull=False), answered_at__gte=since
    )
    for team_id, answered_at, contacted_at, duration in handled.values_list(
        "team_id", "answered_at", "contacted_at", "time_to_resolve"
    ):
        if contacted_at is not None:
            hours = (contacted_at - answered_at).total_seconds() / 3600
            to_contact.setdefault(team_id, []).append(hours)
        if duration is not None:
            to_resolve.setdefault(team_id, []).append(duration.total_seconds() / 3600)
    unresolved = dict(
        follow_ups.unresolved()
        .values_list("team_id")
        .annotate(n=Count("id"))
        .values_list("team_id", "n")
    )
    rows = []
    for team in teams:
        resolve = _hours(to_resolve.get(team.pk, []))
        contact = _hours(to_contact.get(team.pk, []))
        rows.append(
            {
                "team": team,
                "unresolved": unresolved.get(team.pk, 0),
                "resolved": len(to_resolve.get(team.pk, [])),
                "contacted": len(to_contact.get(team.pk, [])),
                "median_hours": resolve["median"],
                "mean_hours": resolve["mean"],
                "median_hours_to_contact": contact["median"],
                "mean_hours_to_contact": contact["mean"],
            }
        )
    return rows


@manager_or_leadership_required
def follow_up_list(request):
    teams = visible_teams(request.user).order_by("name", "id")
    follow_ups = FollowUp.objects.for_teams(teams)
    filters = FollowUpFilterForm(request.GET or None, teams=teams)
    shown = follow_ups
    if filters.is_valid():
        status = filters.cleaned_data.get("status")
        if status == "":
            shown = shown.unresolved()
        elif status != "ALL":
            shown = shown.filter(status=status)
        if filters.cleaned_data.get("team"):
            shown = shown.filter(team=filters.cleaned_data["team"])
    else:
        shown = shown.unresolved()
    now = timezone.now()
    return render(
        request,
        "surveys/follow_up_list.html",
        {
            "filters": filters,
            "follow_ups": with_unhappy_answers(
                shown.select_related("team", "salesperson").order_by("-answered_at", "-id")[
                    :FOLLOW_UPS_SHOWN
                ]
            ),
            "rule": follow_up_rule(),
            "stats": _resolution_stats(follow_ups, list(teams), now),
        },
    )


def get_follow_up_for_user(request, pk) -> FollowUp:
    return get_object_or_404(
        FollowUp.objects.for_teams(visible_teams(request.user)).select_related(
            "team",
            "salesperson",
            "submission__survey_response__interviewer",
            "handled_by",
        ),
        pk=pk,
    )


@manager_or_leadership_required
def follow_up_detail(request, pk):
    follow_up = get_follow_up_for_user(request, pk)
    form = FollowUpForm(
        request.POST or None,
        initial={"status": follow_up.status},
        current_status=follow_up.status,
    )
    if request.method == "POST" and form.is_valid():
        update_follow_up(
            follow_up,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            user=request.user,
            now=timezone.now(),
        )
        messages.success(request, _("Follow-up saved."))
        return redirect("surveys:follow_up", pk=follow_up.pk)
    answers = follow_up.submission.answers.in_question_order()
    response = getattr(follow_up.submission, "survey_response", None)
    unhappy = {code for code, _value in follow_up.unhappy_values()}
    return render(
        request,
        "surveys/follow_up_detail.html",
        {
            "follow_up": follow_up,
            "answers": answers,
            "unhappy_codes": unhappy,
            "response": response,
            "form": form,
            "rule": follow_up_rule(),
            "history": follow_up_history(follow_up),
        },
        status=400 if form.errors else 200,
    )


def open_follow_ups(user):
    """The unresolved follow-ups the user may handle (for the home panel)."""
    if organisation_of(user) is None:
        return FollowUp.objects.none()
    return FollowUp.objects.for_teams(visible_teams(user)).unresolved()
