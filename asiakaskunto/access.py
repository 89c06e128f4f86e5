"""One place decides who may see which team or salesperson.

Leadership (and admins) see their whole organisation; a manager sees the teams they manage and
those teams' salespeople; a salesperson sees only themself. Views get objects through the
``get_…_for_user`` helpers, which look them up in a queryset already scoped to the user, so an
object outside that scope is simply not found (404).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Organisation, Role, Salesperson, Team


def role_of(user) -> str | None:
    """The user's role; superusers count as leadership. None for anonymous or unassigned."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.LEADERSHIP
    profile = getattr(user, "profile", None)
    return profile.role if profile else None


def organisation_of(user) -> Organisation | None:
    if not user.is_authenticated:
        return None
    profile = getattr(user, "profile", None)
    if profile:
        return profile.organisation
    if user.is_superuser:
        return Organisation.objects.order_by("id").first()
    return None


def visible_teams(user):
    """Teams the user may see, as a queryset."""
    role = role_of(user)
    organisation = organisation_of(user)
    if organisation is None:
        return Team.objects.none()
    teams = Team.objects.filter(organisation=organisation)
    if role == Role.LEADERSHIP:
        return teams
    if role == Role.MANAGER:
        return teams.managed_by(user)
    return Team.objects.none()


def visible_salespeople(user):
    """Salespeople the user may see, as a queryset."""
    role = role_of(user)
    organisation = organisation_of(user)
    if organisation is None:
        return Salesperson.objects.none()
    people = Salesperson.objects.filter(organisation=organisation)
    if role == Role.LEADERSHIP:
        return people
    if role == Role.MANAGER:
        return people.filter(team__managers=user)
    if role == Role.SALESPERSON:
        return people.filter(user=user)
    return Salesperson.objects.none()


def get_team_for_user(request, pk) -> Team:
    return get_object_or_404(visible_teams(request.user), pk=pk)


def get_salesperson_for_user(request, pk) -> Salesperson:
    return get_object_or_404(visible_salespeople(request.user).select_related("team"), pk=pk)


def coached_salespeople(user):
    """Salespeople whose coaching plans the user may make and change: a manager's own teams'
    only (leadership reads plans, a salesperson acknowledges and comments on their own)."""
    if role_of(user) != Role.MANAGER:
        return Salesperson.objects.none()
    return visible_salespeople(user)


def visible_coaching_plans(user):
    """Coaching plans the user may read: those of the salespeople they may see."""
    from coaching.models import CoachingPlan  # the core does not depend on the apps elsewhere

    return CoachingPlan.objects.filter(salesperson__in=visible_salespeople(user))


def get_coaching_plan_for_user(request, pk):
    return get_object_or_404(
        visible_coaching_plans(request.user).select_related(
            "salesperson__team", "salesperson__user", "organisation", "season", "created_by"
        ),
        pk=pk,
    )


def get_coaching_plan_for_coach(request, pk):
    """A plan the user may change (a manager, own teams): 404 for anyone else's."""
    from coaching.models import CoachingPlan

    return get_object_or_404(
        CoachingPlan.objects.filter(
            salesperson__in=coached_salespeople(request.user)
        ).select_related("salesperson__team", "organisation"),
        pk=pk,
    )


def get_goal_for_coach(request, pk):
    from coaching.models import Goal

    return get_object_or_404(
        Goal.objects.filter(plan__salesperson__in=coached_salespeople(request.user)).select_related(
            "plan__salesperson__team", "plan__organisation", "question"
        ),
        pk=pk,
    )


def role_required(*roles):
    """Log in first, then allow only the given roles (403 for the others)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if role_of(request.user) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


leadership_required = role_required(Role.LEADERSHIP)
manager_or_leadership_required = role_required(Role.LEADERSHIP, Role.MANAGER)
manager_required = role_required(Role.MANAGER)
salesperson_required = role_required(Role.SALESPERSON)


def interviewable_salespeople(user):
    """Salespeople whose customers the user may interview (interview mode): the active ones of
    the teams a manager manages, or of the whole organisation for leadership; never the user's
    own salesperson record (nobody gathers evidence for their own grade). Salespeople interview
    nobody: a colleague would grade a colleague and see their customers' answers."""
    if role_of(user) not in (Role.LEADERSHIP, Role.MANAGER):
        return Salesperson.objects.none()
    return visible_salespeople(user).active().exclude(user=user)


class OwnGrade(PermissionDenied):
    """The user asked to gather evidence about themself."""


def get_salesperson_to_interview(request, pk) -> Salesperson:
    """A salesperson whose customer the user may interview; 404 outside the user's teams, and
    403 (``OwnGrade``) for the user's own salesperson record."""
    person = get_object_or_404(
        visible_salespeople(request.user).active().select_related("team", "organisation"), pk=pk
    )
    if person.user_id is not None and person.user_id == request.user.pk:
        raise OwnGrade
    return person
