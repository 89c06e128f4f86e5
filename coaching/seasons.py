"""Seasons (measurement rounds): their rules, and a season set against the one before it.

``season_comparison`` builds the page data as plain dataclasses, so that the page, an export
and leadership's digest share it: grades as of each season's end (the engine's, as every page
shows them), the level distribution and how it moved, who improved most, and goals achieved
per team.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from asiakaskunto.models import Salesperson, Team
from reports.dashboards import level_label, rounded
from reports.results_cache import grades_for
from reports.scoring import LEVELS, Grades
from reports.services import scoring_settings_for

from .models import Goal, GoalStatus, Season

EARLIEST_YEAR = 2000
LATEST_YEAR = 2100
LONGEST_DAYS = 366
IMPROVERS_SHOWN = 5


def season_problems(
    organisation, *, name: str, start_date: date, end_date: date, season: Season | None = None
) -> list[str]:
    """What is wrong with a season, as sentences (empty: fine). The dates are bounded to the
    years EARLIEST_YEAR–LATEST_YEAR and a season lasts at most LONGEST_DAYS days; seasons of
    one organisation never overlap and have different names."""
    problems = []
    if not (EARLIEST_YEAR <= start_date.year <= LATEST_YEAR) or not (
        EARLIEST_YEAR <= end_date.year <= LATEST_YEAR
    ):
        problems.append(
            _("Choose dates between the years %(first)s and %(last)s.")
            % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
        )
    if end_date < start_date:
        problems.append(_("The last day must not be before the first day."))
    elif (end_date - start_date).days + 1 > LONGEST_DAYS:
        problems.append(_("A season lasts at most %(days)s days.") % {"days": LONGEST_DAYS})
    others = Season.objects.of(organisation)
    if season is not None and season.pk:
        others = others.exclude(pk=season.pk)
    if end_date >= start_date:
        clash = others.overlapping(start_date, end_date).order_by("start_date", "id").first()
        if clash is not None:
            problems.append(
                _("The dates overlap the season “%(name)s” (%(start)s–%(end)s).")
                % {
                    "name": clash.name,
                    "start": clash.start_date.strftime("%d.%m.%Y"),
                    "end": clash.end_date.strftime("%d.%m.%Y"),
                }
            )
    if others.filter(name__iexact=name.strip()).exists():
        problems.append(_("Another season has this name."))
    return problems


def season_end_moment(season: Season) -> datetime:
    """The last instant of the season's last day in the site's time zone, in UTC."""
    next_day = datetime.combine(season.end_date + timedelta(days=1), time.min)
    return (timezone.make_aware(next_day) - timedelta(microseconds=1)).astimezone(UTC)


def previous_season(season: Season) -> Season | None:
    return (
        Season.objects.of(season.organisation_id)
        .filter(end_date__lt=season.start_date)
        .order_by("-end_date", "-id")
        .first()
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class LevelMove:
    level: str
    label: str
    before: int | None
    after: int
    change: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class TeamSeason:
    pk: int
    name: str
    members: int
    share_before: float | None  # % of graded members at or above the target level
    share_after: float | None
    index_before: float | None
    index_after: float | None
    goals_due: int  # goals due within the season
    goals_achieved: int  # goals confirmed achieved within the season


@dataclass(frozen=True, slots=True, kw_only=True)
class Improver:
    salesperson_id: int
    name: str
    team: str
    index_before: float
    index_after: float
    change: float
    level_before: str
    level_after: str

    @property
    def level_before_label(self) -> str:
        return level_label(self.level_before)

    @property
    def level_after_label(self) -> str:
        return level_label(self.level_after)


@dataclass(frozen=True, slots=True, kw_only=True)
class SeasonComparison:
    """A season against the previous one (``previous`` None: the first season; the "before"
    figures are then None). ``so_far``: the season has not ended, its figures are as of now."""

    season: Season
    previous: Season | None
    as_of: datetime
    previous_as_of: datetime | None
    so_far: bool
    target_label: str
    members: int
    graded: int
    share_before: float | None
    share_after: float | None
    index_before: float | None
    index_after: float | None
    levels: list[LevelMove]
    teams: list[TeamSeason]
    improvers: list[Improver]
    goals_due: int
    goals_achieved: int


def _share(group) -> float | None:
    if group is None or group.share_at_or_above_target is None:
        return None
    return rounded(group.share_at_or_above_target * 100, 0)


def season_comparison(
    organisation, season: Season, *, now: datetime, teams=None, improvers: int = IMPROVERS_SHOWN
) -> SeasonComparison:
    """The season against the one before it (see the module docstring). ``teams`` (a queryset
    or list of teams) narrows the team rows, the improvers and the goals; by default every team
    of the organisation. A season still running is taken as of ``now``."""
    previous = previous_season(season)
    end = season_end_moment(season)
    so_far = end >= now
    as_of = None if so_far else end
    previous_as_of = season_end_moment(previous) if previous else None
    after = grades_for(organisation, as_of=as_of)
    before: Grades | None = grades_for(organisation, as_of=previous_as_of) if previous else None
    settings = scoring_settings_for(organisation)
    team_list = list(
        (teams if teams is not None else Team.objects.filter(organisation=organisation))
        .order_by("name", "id")
        .values_list("pk", "name")
    )
    team_ids = [pk for pk, _name in team_list]

    org_after, org_before = after.organisation, before.organisation if before else None
    levels = []
    for code in LEVELS:
        count = org_after.level_distribution.get(code, 0)
        earlier = org_before.level_distribution.get(code, 0) if org_before else None
        levels.append(
            LevelMove(
                level=code,
                label=level_label(code),
                before=earlier,
                after=count,
                change=None if earlier is None else count - earlier,
            )
        )

    goals = Goal.objects.filter(
        plan__organisation=organisation, plan__salesperson__team__in=team_ids
    )
    due = dict(
        goals.filter(due_date__gte=season.start_date, due_date__lte=season.end_date)
        .exclude(status=GoalStatus.DROPPED)
        .values_list("plan__salesperson__team")
        .annotate(count=Count("id"))
        .order_by()
    )
    start_moment = timezone.make_aware(datetime.combine(season.start_date, time.min))
    achieved = dict(
        goals.filter(
            status=GoalStatus.ACHIEVED, achieved_at__gte=start_moment, achieved_at__lte=end
        )
        .values_list("plan__salesperson__team")
        .annotate(count=Count("id"))
        .order_by()
    )
    team_rows = []
    for pk, name in team_list:
        group_after = after.teams.get(pk)
        group_before = before.teams.get(pk) if before else None
        team_rows.append(
            TeamSeason(
                pk=pk,
                name=name,
                members=group_after.member_count if group_after else 0,
                share_before=_share(group_before),
                share_after=_share(group_after),
                index_before=rounded(group_before.index) if group_before else None,
                index_after=rounded(group_after.index) if group_after else None,
                goals_due=due.get(pk, 0),
                goals_achieved=achieved.get(pk, 0),
            )
        )

    moves = []
    if before is not None:
        wanted = set(team_ids)
        for pk, result in after.people.items():
            if result.team not in wanted:
                continue
            earlier = before.people.get(pk)
            if earlier is None or earlier.index is None or result.index is None:
                continue
            moves.append((result.index - earlier.index, pk, earlier, result))
    moves.sort(key=lambda move: (-move[0], move[1]))
    # Improved = up by at least 0.1 points (the rounding shown): not recency-weight noise.
    best = [move for move in moves if rounded(move[0]) > 0][:improvers]
    people = {
        person.pk: person
        for person in Salesperson.objects.filter(pk__in=[move[1] for move in best])
    }
    improver_rows = [
        Improver(
            salesperson_id=pk,
            name=people[pk].name,
            team=dict(team_list).get(result.team, ""),
            index_before=rounded(earlier.index),
            index_after=rounded(result.index),
            change=rounded(change),
            level_before=earlier.level,
            level_after=result.level,
        )
        for change, pk, earlier, result in best
        if pk in people
    ]
    return SeasonComparison(
        season=season,
        previous=previous,
        as_of=after.as_of,
        previous_as_of=before.as_of if before else None,
        so_far=so_far,
        target_label=level_label(settings.target_level),
        members=org_after.member_count,
        graded=org_after.graded_count,
        share_before=_share(org_before),
        share_after=_share(org_after),
        index_before=rounded(org_before.index) if org_before else None,
        index_after=rounded(org_after.index),
        levels=levels,
        teams=team_rows,
        improvers=improver_rows,
        goals_due=sum(row.goals_due for row in team_rows),
        goals_achieved=sum(row.goals_achieved for row in team_rows),
    )
