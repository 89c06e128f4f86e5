"""Random samples of recent customers (/sampling/): leadership or a manager uploads a purchase
list, the app draws N customers per salesperson and invites them. Managers sample and see their
own teams' salespeople only."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import ngettext

from asiakaskunto.access import (
    manager_or_leadership_required,
    organisation_of,
    role_of,
    visible_salespeople,
    visible_teams,
)
from asiakaskunto.links import site_url
from asiakaskunto.models import Role
from surveys.models import Invitation

from .forms import SampleForm
from .models import SampleBatch
from .rates import batch_rates, salesperson_rates_of_batch
from .services import create_batch, new_seed

BATCHES_SHOWN = 50


def _batches_for(user):
    """Leadership: every batch of the organisation. A manager: the batches that drew customers
    of their teams, and their own."""
    organisation = organisation_of(user)
    batches = SampleBatch.objects.filter(organisation=organisation)
    if role_of(user) == Role.LEADERSHIP:
        return batches
    return batches.filter(
        Q(invitations__team__in=visible_teams(user)) | Q(created_by=user)
    ).distinct()


@manager_or_leadership_required
def sample_index(request):
    salespeople = list(
        visible_salespeople(request.user).active().select_related("team", "organisation")
    )
    form = SampleForm(
        request.POST or None,
        request.FILES or None,
        salespeople=salespeople,
        initial={"language": "fi"},
    )
    if request.method == "POST" and form.is_valid() and salespeople:
        upload, customer_list = form.cleaned_data["csv_file"]
        seed = form.cleaned_data["seed"]
        batch = create_batch(
            customer_list,
            organisation=salespeople[0].organisation,
            salespeople=form.salespeople,
            per_salesperson=form.cleaned_data["per_salesperson"],
            quiet_days=form.cleaned_data["quiet_days"],
            seed=new_seed() if seed is None else seed,
            language=form.cleaned_data["language"],
            file_name=upload.name,
            created_by=request.user,
            now=timezone.now(),
            base=site_url(request=request),
        )
        messages.success(
            request,
            ngettext(
                "Drew %(count)d customer; the e-mails go out now.",
                "Drew %(count)d customers; the e-mails go out now.",
                batch.drawn,
            )
            % {"count": batch.drawn},
        )
        return redirect("sampling:batch", pk=batch.pk)
    batches = list(
        _batches_for(request.user)
        .select_related("created_by")
        .order_by("-created_at", "-id")[:BATCHES_SHOWN]
    )
    rates = batch_rates(batches, teams=visible_teams(request.user), now=timezone.now())
    for batch in batches:
        batch.rates = rates.get(batch.pk)
    return render(
        request,
        "sampling/index.html",
        {"form": form, "batches": batches, "has_salespeople": bool(salespeople)},
        status=400 if form.errors else 200,
    )


@manager_or_leadership_required
def sample_batch(request, pk):
    batch = get_object_or_404(_batches_for(request.user).select_related("created_by"), pk=pk)
    teams = visible_teams(request.user)
    now = timezone.now()
    to_call = list(
        Invitation.objects.filter(sample_batch=batch, team__in=teams)
        .exclude(phone="")
        .filter(email="", used_at__isnull=True, expires_at__gt=now)
        .select_related("salesperson")
        .order_by("salesperson__name", "id")
    )
    return render(
        request,
        "sampling/batch.html",
        {
            "batch": batch,
            "rates": batch_rates([batch], teams=teams, now=now).get(batch.pk),
            "people": salesperson_rates_of_batch(batch, teams=teams, now=now),
            "to_call": to_call,
        },
    )
