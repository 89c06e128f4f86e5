"""Demo data of this app for `manage.py seed_demo`: two seasons (the current half-year and the
one before), and coaching plans made from the demo people's development targets in several
states: acknowledged with self-assessment, sessions and comments; waiting for acknowledgement;
closed in the previous season."""

from datetime import date, datetime, time, timedelta

from django.db.models import F
from django.utils import timezone

from asiakaskunto.questions import active_questions
from reports.results_cache import grades_for, mark_stale
from reports.scoring import NOT_ENOUGH_DATA
from reports.services import scoring_settings_for

from . import services
from .models import CoachingPlan, Goal, GoalStatus, Season
from .progress import measure
from .seasons import season_end_moment

SESSION_NOTES = [
    (
        "Kävimme läpi asiakkaiden palautteen: tervehdi jokainen asiakas ovella.",
        "Harjoittele avauskysymyksiä.",
    ),
    (
        "Roolipeli tarpeen kartoituksesta, kolme harjoitusta.",
        "Kysy kaksi avointa kysymystä ennen tuotetta.",
    ),
    (
        "Seurasin kahta asiakaskohtaamista; hymy ja katsekontakti paranivat.",
        "Jatketaan, uusi havainnointi ensi viikolla.",
    ),
]
COMMENTS = ["Sovittu, kiitos selkeästä suunnitelmasta.", "Haluaisin harjoitella myös tuotetietoa."]


def _half_year(day: date) -> tuple[str, date, date]:
    if day.month <= 6:
        return f"Kevät {day.year}", date(day.year, 1, 1), date(day.year, 6, 30)
    return f"Syksy {day.year}", date(day.year, 7, 1), date(day.year, 12, 31)


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def seed(organisation, *, now, rng, stdout=None):
    """Fill the seasons and plans; do nothing when the organisation has seasons already."""
    if Season.objects.of(organisation).exists():
        return
    today = timezone.localdate(now)
    name, start, end = _half_year(today)
    previous_name, previous_start, previous_end = _half_year(start - timedelta(days=1))
    previous = Season.objects.create(
        organisation=organisation,
        name=previous_name,
        start_date=previous_start,
        end_date=previous_end,
    )
    Season.objects.create(organisation=organisation, name=name, start_date=start, end_date=end)
    mark_stale(organisation.pk)  # the other apps' demo answers were just written
    settings = scoring_settings_for(organisation)
    questions = [q for q in active_questions(organisation) if q.area]
    plans = 0
    for team in organisation.teams.order_by("name", "id"):
        manager = team.managers.order_by("id").first()
        if manager is None:
            continue
        # People who can log in first: they see their own plan.
        people = list(
            team.members.filter(active=True).order_by(
                F("user_id").desc(nulls_last=True), "name", "id"
            )
        )
        started = now - timedelta(days=rng.randint(30, 50))
        at_start = grades_for(organisation, as_of=started)
        closed_at = previous.start_date + timedelta(days=30)
        before = grades_for(organisation, as_of=_moment(closed_at))
        kind = 0
        for person in people:
            if kind > 2:
                break
            grades = before if kind == 2 else at_start
            result = grades.people.get(person.pk)
            if result is None or result.level == NOT_ENOUGH_DATA or not result.targets:
                continue
            proposals = [
                p
                for p in services.proposals(result, organisation=organisation, settings=settings)
                if p.checked
            ]
            due = previous.end_date if kind == 2 else end
            goals = [
                services.GoalInput(
                    area=p.area,
                    question=p.question,
                    target_score=max(
                        settings.levels[settings.target_level].no_area_below, round(p.score) + 5
                    ),
                    due_date=due,
                    actions=rng.choice(
                        [
                            "Tervehdi jokainen asiakas ja kysy, miten voit auttaa.",
                            "Kertaa uutuustuotteet viikoittain tiimipalaverissa.",
                            "Kysy asiakkaan tarve ennen kuin esittelet tuotteen.",
                        ]
                    ),
                )
                for p in proposals[:3]
            ]
            moment = _moment(closed_at) if kind == 2 else started
            plan = services.start_plan(person, goals, user=manager, now=moment, grades=grades)
            if kind == 2:
                _close_in_previous_season(plan, previous, settings)
            else:
                _coach(plan, person, manager, kind=kind, rng=rng, questions=questions, now=now)
            plans += 1
            kind += 1
    if stdout is not None:
        stdout.write(f"Coaching: 2 seasons, {plans} plans")


def _coach(plan, person, manager, *, kind, rng, questions, now):
    """Sessions for every open plan; the first of each team is acknowledged, self-assessed and
    commented on, the second waits for the salesperson."""
    for index, (notes, next_step) in enumerate(SESSION_NOTES[: 3 - kind]):
        held_on = timezone.localdate(plan.started_at) + timedelta(days=3 + 10 * index)
        if held_on > timezone.localdate(now):
            break
        services.log_session(
            plan,
            held_on=held_on,
            goals=plan.goals.filter(focus=True),
            notes=notes,
            next_step=next_step,
            user=manager,
        )
    if kind == 0 and person.user_id:
        services.save_self_ratings(
            plan, {q: rng.randint(*q.value_range) for q in questions}, now=plan.started_at
        )
        CoachingPlan.objects.filter(pk=plan.pk).update(
            acknowledged_at=plan.started_at + timedelta(days=2)
        )
        services.comment(plan, author=person.user, text=COMMENTS[0])


def _close_in_previous_season(plan, previous, settings):
    """An older plan: goals the engine showed reached by the season's end are achieved (with
    the engine's score), the rest passed their due date; the plan is closed."""
    end = season_end_moment(previous)
    grades = grades_for(plan.organisation, as_of=end)
    result = grades.people.get(plan.salesperson_id)
    for goal in plan.goals.select_related("question"):
        measured = measure(
            result,
            area=goal.area,
            question_code=goal.question.code if goal.question_id else None,
            target=goal.target_score,
            settings=settings,
        )
        if measured.score is not None and measured.score >= goal.target_score:
            Goal.objects.filter(pk=goal.pk).update(
                status=GoalStatus.ACHIEVED,
                achieved_at=end - timedelta(days=7),
                achieved_score=measured.score,
                confirmed_by=plan.created_by,
                focus=False,
            )
    services.close_if_finished(plan, now=end + timedelta(days=1))
