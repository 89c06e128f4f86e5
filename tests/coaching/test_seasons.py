"""Seasons: their rules, and a season against the previous one."""

from datetime import date, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from asiakaskunto.models import Method
from coaching.models import CoachingPlan, Goal, GoalStatus, Season
from coaching.seasons import season_comparison, season_problems
from tests.factories import submit


def make_season(org, name, start, end):
    return Season.objects.create(
        organisation=org.organisation, name=name, start_date=start, end_date=end
    )


def test_seasons_may_not_overlap_or_run_backwards_or_too_long(org):
    make_season(org, "Kevät 2027", date(2027, 1, 1), date(2027, 6, 30))
    check = lambda name, start, end: season_problems(  # noqa: E731
        org.organisation, name=name, start_date=start, end_date=end
    )
    assert check("Syksy 2027", date(2027, 7, 1), date(2027, 12, 31)) == []
    assert "Kevät 2027" in " ".join(check("Kesä", date(2027, 6, 1), date(2027, 8, 31)))
    assert check("Taakse", date(2027, 9, 1), date(2027, 8, 1))
    assert check("Pitkä", date(2028, 1, 1), date(2029, 6, 1))
    assert check("Kaukana", date(3027, 1, 1), date(3027, 2, 1))
    assert check("kevät 2027", date(2030, 1, 1), date(2030, 2, 1))  # the name is taken
    with pytest.raises(IntegrityError), transaction.atomic():
        make_season(org, "Väärin", date(2027, 9, 1), date(2027, 8, 1))


def test_a_season_against_the_previous_one(org):
    today = timezone.localdate()
    first = make_season(org, "Edellinen", today - timedelta(days=200), today - timedelta(days=101))
    current = make_season(org, "Nyt", today - timedelta(days=100), today + timedelta(days=30))
    early = timezone.make_aware(
        datetime.combine(first.start_date + timedelta(days=5), datetime.min.time())
    )
    # Aino: weak in the first season, strong in this one; Bertta only ever weak.
    for i in range(5):
        for person, value in ((org.seller_a, 2), (org.seller_b, 2)):
            submit(
                person,
                Method.CUSTOMER,
                {"CUS1": value, "CUS2": value},
                answered_at=early + timedelta(minutes=i),
            )
    for person in (org.seller_a, org.seller_b):
        submit(person, Method.OBSERVATION, {"OBS1": 2, "OBS3": 2}, answered_at=early)
    late = timezone.now() - timedelta(days=2)
    for i in range(20):
        submit(
            org.seller_a,
            Method.CUSTOMER,
            {"CUS1": 5, "CUS2": 5},
            answered_at=late + timedelta(minutes=i),
        )
        submit(
            org.seller_a,
            Method.OBSERVATION,
            {"OBS1": 5, "OBS3": 5},
            answered_at=late + timedelta(minutes=i),
        )
    plan = CoachingPlan.objects.create(
        organisation=org.organisation, salesperson=org.seller_a, target_level="ERINOMAINEN",
        started_at=timezone.now() - timedelta(days=50),
    )  # fmt: skip
    Goal.objects.create(
        plan=plan, area="SKILLS", target_score=65, due_date=today + timedelta(days=10),
        set_at=plan.started_at, start_score=25, status=GoalStatus.ACHIEVED,
        achieved_at=timezone.now() - timedelta(days=1), achieved_score=90,
    )  # fmt: skip
    Goal.objects.create(
        plan=plan, area="ATTITUDE", target_score=65, due_date=today + timedelta(days=20),
        set_at=plan.started_at, start_score=25,
    )  # fmt: skip

    comparison = season_comparison(org.organisation, current, now=timezone.now())
    assert comparison.previous == first and comparison.so_far
    assert [i.name for i in comparison.improvers] == ["Aino Seller"]
    assert comparison.improvers[0].change > 30
    moves = {m.level: m for m in comparison.levels}
    assert moves["KEHITETTAVAA"].before == 2
    assert sum(m.after for m in comparison.levels) == comparison.members == 2
    team_a = next(t for t in comparison.teams if t.name == "Team A")
    assert (team_a.goals_achieved, team_a.goals_due) == (1, 2)
    assert comparison.goals_achieved == 1

    first_only = season_comparison(org.organisation, first, now=timezone.now())
    assert first_only.previous is None and not first_only.so_far
    assert first_only.improvers == [] and all(m.before is None for m in first_only.levels)
    assert first_only.as_of.date() in (first.end_date, first.end_date + timedelta(days=1))
