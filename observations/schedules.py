"""Recurring mystery-shop schedules: the plans of each period, generated once.

``generate_plans`` is idempotent: a period's plans are made for the active salespeople who have
none from this schedule yet, so running it again (the daily job, saving the schedule again)
creates nothing new, and a salesperson who joins mid-period gets theirs on the next run. A
unique constraint (schedule, salesperson, period) is the backstop when two runs race. Only the
period that contains ``today`` is generated: a period the job missed is not made up afterwards
(its visits could no longer be done in their window).
"""

from datetime import date

from django.db import transaction

from asiakaskunto.models import Salesperson

from .models import MysteryPlan, MysterySchedule, end_of_day, period_of


def people_of(schedule: MysterySchedule):
    """The active salespeople a schedule covers: its team's, or the whole organisation's."""
    people = Salesperson.objects.filter(organisation_id=schedule.organisation_id).active()
    if schedule.team_id:
        people = people.filter(team_id=schedule.team_id)
    return people


@transaction.atomic
def generate_plans(schedule: MysterySchedule, *, today: date) -> int:
    """Make the plans of the period containing ``today`` that are missing; returns how many."""
    if not schedule.active or today < schedule.starts_on:
        return 0
    period_start, period_end = period_of(today, schedule.frequency)
    window_start = max(period_start, schedule.starts_on)
    have = MysteryPlan.objects.filter(schedule=schedule, period_start=period_start).values(
        "salesperson_id"
    )
    missing = list(people_of(schedule).exclude(pk__in=have).order_by("name", "id"))
    MysteryPlan.objects.bulk_create(
        [
            MysteryPlan(
                organisation_id=schedule.organisation_id,
                team_id=person.team_id,
                salesperson=person,
                window_start_date=window_start,
                window_end_date=period_end,
                expires_at=end_of_day(period_end),
                scenario_id=schedule.scenario_id,
                schedule=schedule,
                period_start=period_start,
                created_by_id=schedule.created_by_id,
            )
            for person in missing
        ],
        ignore_conflicts=True,  # a concurrent run made them: theirs stand
    )
    return len(missing)


def generate_all(*, today: date) -> int:
    """Every active schedule's missing plans for the period containing ``today``."""
    schedules = MysterySchedule.objects.active().filter(starts_on__lte=today).order_by("id")
    return sum(generate_plans(schedule, today=today) for schedule in schedules)
