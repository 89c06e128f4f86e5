from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string

from .access import (
    get_team_for_user,
    manager_or_leadership_required,
    organisation_of,
    role_of,
    visible_salespeople,
    visible_teams,
)
from .models import Role


@login_required
def home(request):
    """Each role's own home page; the apps add their panels through template tags."""
    role = role_of(request.user)
    template = {
        Role.LEADERSHIP: "home/leadership.html",
        Role.MANAGER: "home/manager.html",
        Role.SALESPERSON: "home/salesperson.html",
    }.get(role, "home/unassigned.html")
    salesperson = None
    if role == Role.SALESPERSON:
        salesperson = visible_salespeople(request.user).select_related("team").first()
    teams = (
        visible_teams(request.user)
        .annotate(member_count=Count("members", filter=Q(members__active=True)))
        .order_by("name", "id")
    )
    return render(
        request,
        template,
        {"organisation": organisation_of(request.user), "teams": teams, "salesperson": salesperson},
    )


@manager_or_leadership_required
def team_list(request):
    teams = (
        visible_teams(request.user)
        .annotate(member_count=Count("members", filter=Q(members__active=True)))
        .prefetch_related("managers")
        .order_by("name", "id")
    )
    return render(request, "organisation/team_list.html", {"teams": teams})


@manager_or_leadership_required
def team_detail(request, pk):
    team = get_team_for_user(request, pk)
    members = team.members.select_related("user").order_by("-active", "name", "id")
    return render(
        request,
        "organisation/team_detail.html",
        {"team": team, "members": members, "managers": team.managers.order_by("last_name", "id")},
    )


def server_error(request):
    """The 500 page in the site's look and the language the request was answered in. Rendered
    without the request's context processors: they read the user, and the database may be
    what failed."""
    return HttpResponseServerError(render_to_string("500.html"))
