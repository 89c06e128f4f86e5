"""The weekly digest e-mail: to each manager their to-do list (``coaching.todo.todo_for``); to
leadership the teams' movement over the week, the overdue follow-ups, the teams below the
target level, and the current season's progress (``coaching.seasons.season_comparison``).

The data is built as plain dataclasses (``manager_digest``, ``leadership_digest``) and written
out as text by ``digest_email`` in the reader's language; ``manage.py send_digests`` (cron,
weekly) queues one e-mail per reader and ``--dry-run`` prints them instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asiakaskunto.emails import in_language_of, preferences_for, staff_email
from asiakaskunto.links import absolute_url
from asiakaskunto.models import EmailKind, EmailPreference, Organisation, Role, Team
from reports.dashboards import level_label, rounded
from reports.results_cache import grades_for
from reports.scoring import LEVELS, NOT_ENOUGH_DATA
from reports.services import scoring_settings_for
from surveys.models import FollowUp

from .models import Season
from .seasons import SeasonComparison, season_comparison
from .todo import TodoItem, todo_for

WEEK = timedelta(days=7)
# An unhappy customer waits no longer than this for a manager's answer; past it the follow-up
# is overdue in leadership's digest.
FOLLOW_UP_OVERDUE_AFTER = timedelta(hours=48)
OVERDUE_LISTED = 10


@dataclass(frozen=True, slots=True, kw_only=True)
class TeamMovement:
    name: str
    index_now: float | None
    index_week_ago: float | None
    change: float | None
    share_now: float | None  # % of graded members at or above the target level
    level: str
    below_target: bool

    @property
    def level_text(self) -> str:
        return level_label(self.level)


@dataclass(frozen=True, slots=True, kw_only=True)
class OverdueFollowUp:
    pk: int
    team: str
    salesperson: str
    answered_at: datetime
    days_open: int
    status: str

    @property
    def status_label(self) -> str:
        return FollowUp.Status(self.status).label


@dataclass(frozen=True, slots=True, kw_only=True)
class LeadershipDigest:
    organisation: Organisation
    as_of: datetime
    target_level: str
    teams: list[TeamMovement]
    below_target: list[TeamMovement]
    overdue_count: int
    overdue: list[OverdueFollowUp]
    season: SeasonComparison | None
    season_day: int | None  # the how-manyth day of the season today is
    season_days: int | None

    @property
    def target_label(self) -> str:
        return level_label(self.target_level)


@dataclass(frozen=True, slots=True, kw_only=True)
class ManagerDigest:
    items: list[TodoItem]


def _below(level: str, target: str) -> bool:
    """A grade below the target level (LEVELS runs from the highest down); not enough data is
    no grade, so it is not below anything."""
    return level != NOT_ENOUGH_DATA and LEVELS.index(level) > LEVELS.index(target)


def leadership_digest(organisation: Organisation, *, now: datetime) -> LeadershipDigest:
    """Leadership's week, as of ``now``: see the module docstring."""
    settings = scoring_settings_for(organisation)
    week_ago = now - WEEK
    current = grades_for(organisation, as_of=now)
    earlier = grades_for(organisation, as_of=week_ago)
    teams = []
    for pk, name in (
        Team.objects.filter(organisation=organisation)
        .order_by("name", "id")
        .values_list("pk", "name")
    ):
        group, before = current.teams.get(pk), earlier.teams.get(pk)
        if group is None:
            continue  # no answers in the window: nothing to move
        index_now = rounded(group.index)
        index_before = rounded(before.index) if before else None
        share = group.share_at_or_above_target
        teams.append(
            TeamMovement(
                name=name,
                index_now=index_now,
                index_week_ago=index_before,
                change=rounded(index_now - index_before)
                if index_now is not None and index_before is not None
                else None,
                share_now=rounded(share * 100, 0) if share is not None else None,
                level=group.level,
                below_target=_below(group.level, settings.target_level),
            )
        )
    overdue = (
        FollowUp.objects.filter(
            organisation=organisation, answered_at__lt=now - FOLLOW_UP_OVERDUE_AFTER
        )
        .unresolved()
        .select_related("team", "salesperson")
    )
    overdue_rows = [
        OverdueFollowUp(
            pk=follow_up.pk,
            team=follow_up.team.name,
            salesperson=follow_up.salesperson.name if follow_up.salesperson else "",
            answered_at=follow_up.answered_at,
            days_open=(now - follow_up.answered_at).days,
            status=follow_up.status,
        )
        for follow_up in overdue.order_by("answered_at", "id")[:OVERDUE_LISTED]
    ]
    today = timezone.localdate(now)
    season = Season.objects.of(organisation).current(today).order_by("start_date", "id").first()
    comparison = season_comparison(organisation, season, now=now) if season else None
    return LeadershipDigest(
        organisation=organisation,
        as_of=now,
        target_level=settings.target_level,
        teams=teams,
        below_target=[team for team in teams if team.below_target],
        overdue_count=overdue.count(),
        overdue=overdue_rows,
        season=comparison,
        season_day=(today - season.start_date).days + 1 if season else None,
        season_days=(season.end_date - season.start_date).days + 1 if season else None,
    )


def manager_digest(user, *, now: datetime) -> ManagerDigest:
    """A manager's to-do list as of ``now`` (in the active language)."""
    return ManagerDigest(items=todo_for(user, as_of=now))


def digest_readers(organisation: Organisation) -> list[tuple[object, str, EmailPreference]]:
    """(user, role, preference) of every active manager and leader of the organisation with an
    e-mail address, leadership first, then by username; whether they want the digest is
    ``preference.weekly_digest``."""
    users = list(
        get_user_model()
        .objects.filter(
            is_active=True,
            profile__organisation=organisation,
            profile__role__in=[Role.LEADERSHIP, Role.MANAGER],
        )
        .exclude(email="")
        .select_related("profile")
        .order_by("username", "id")
    )
    preferences = preferences_for(users)
    order = {Role.LEADERSHIP: 0, Role.MANAGER: 1}
    users.sort(key=lambda user: (order[user.profile.role], user.username))
    return [(user, user.profile.role, preferences[user.pk]) for user in users]


def _absolute(path: str, base: str) -> str:
    return absolute_url(path, base=base)


def digest_email(
    user,
    role: str,
    preference: EmailPreference,
    *,
    now: datetime,
    base: str = "",
    leadership: LeadershipDigest | None = None,
):
    """The user's digest as an e-mail in their language. ``leadership``: the organisation's
    leadership digest when the caller built it already (it is the same for every leader)."""
    with in_language_of(preference):
        if role == Role.LEADERSHIP:
            data = leadership or leadership_digest(user.profile.organisation, now=now)
            context = {
                "digest": data,
                "dashboard_url": _absolute(reverse("reports:dashboard"), base),
                "follow_ups_url": _absolute(reverse("surveys:follow_ups"), base),
                "overdue": [
                    (row, _absolute(reverse("surveys:follow_up", args=[row.pk]), base))
                    for row in data.overdue
                ],
                "season_url": _absolute(
                    reverse("coaching:season", args=[data.season.season.pk]), base
                )
                if data.season
                else "",
                "overdue_hours": int(FOLLOW_UP_OVERDUE_AFTER.total_seconds() // 3600),
            }
            subject = _("Asiakaskunto this week: %(organisation)s") % {
                "organisation": data.organisation.name
            }
            body = render_to_string("coaching/email/digest_leadership.txt", context)
        else:
            data = manager_digest(user, now=now)
            context = {
                "items": [
                    (
                        item,
                        _absolute(item.url, base),
                        [(more.label, _absolute(more.url, base)) for more in item.more],
                    )
                    for item in data.items
                ],
                "home_url": _absolute(reverse("home"), base),
            }
            subject = _("Your week in Asiakaskunto: %(count)s to do") % {"count": len(data.items)}
            body = render_to_string("coaching/email/digest_manager.txt", context)
        return staff_email(
            user, kind=EmailKind.WEEKLY_DIGEST, subject=subject, body=body, base_url=base or None
        )
