"""Seasons: leadership defines the measurement rounds and compares a season with the one
before it (the page data comes from ``coaching/seasons.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from asiakaskunto.access import leadership_required, organisation_of

from ..forms import SeasonForm
from ..models import Season
from ..seasons import season_comparison


def _seasons(request):
    return Season.objects.of(organisation_of(request.user))


@leadership_required
def season_list(request):
    """The organisation's seasons, newest first, and a form for a new one."""
    organisation = organisation_of(request.user)
    form = SeasonForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        season = form.save(commit=False)
        season.organisation = organisation
        season.save()
        messages.success(request, _("Season %(name)s created.") % {"name": season.name})
        return redirect("coaching:seasons")
    today = timezone.localdate()
    seasons = list(_seasons(request).order_by("-start_date", "-id"))
    return render(
        request, "coaching/season_list.html", {"seasons": seasons, "form": form, "today": today}
    )


@leadership_required
def season_edit(request, pk):
    season = get_object_or_404(_seasons(request), pk=pk)
    form = SeasonForm(request.POST or None, instance=season, organisation=season.organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Season %(name)s saved.") % {"name": season.name})
        return redirect("coaching:seasons")
    return render(request, "coaching/season_form.html", {"season": season, "form": form})


@leadership_required
def season_detail(request, pk):
    """A season against the previous one: grades as of each end, levels, improvers, goals."""
    season = get_object_or_404(_seasons(request), pk=pk)
    comparison = season_comparison(season.organisation, season, now=timezone.now())
    return render(request, "coaching/season_detail.html", {"c": comparison})
