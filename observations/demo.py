"""Demo data of this app for `manage.py seed_demo`: a year of observation checklists (about one
per salesperson a month, a few drafts and corrections) and mystery-shopper tests (a few per
person), plus planned, expired and cancelled visits.

Every person's answers are drawn around their underlying quality, shared with the other apps:
``skill = random.Random("skill-" + salesperson.name).uniform(0.35, 0.98)``.
"""

import random
import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from asiakaskunto.models import Answer, Method, Submission
from asiakaskunto.questions import active_questions

from .models import (
    Checklist,
    ChecklistRevision,
    ChecklistStatus,
    ChecklistTemplate,
    ChecklistTemplateQuestion,
    MysteryPlan,
    MysteryTest,
    end_of_day,
)

LOCATIONS = [
    "Kassa",
    "Myymälän lattia, arki-ilta",
    "Lauantairuuhka",
    "Tuote-esittely",
    "Palautuspiste",
    "Puhelinpalvelu",
    "",
]
OBSERVATION_NOTES = {
    "low": [
        "Ei tervehtinyt sisään tulevaa asiakasta.",
        "Keskittyi hyllyjen täyttöön, asiakas jäi odottamaan.",
        "Vastasi lyhyesti, ei kysynyt tarkentavia kysymyksiä.",
    ],
    "mid": [
        "Tervehti, mutta kiireessä palvelu jäi pinnalliseksi.",
        "Auttoi kysyttäessä, ei tarjoutunut itse.",
    ],
    "high": [
        "Hymy ja katsekontakti jokaiselle asiakkaalle.",
        "Huomasi jonon ja pyysi kollegan avuksi.",
        "Lähti itse näyttämään tuotteen hyllyltä.",
    ],
}
GENERAL_NOTES = [
    "Hyvä vire koko vuoron ajan.",
    "Kiireinen päivä, mutta palvelu pysyi ystävällisenä.",
    "Sovittiin, että harjoitellaan lisämyyntiä.",
    "Palautekeskustelu pidetty heti havainnoinnin jälkeen.",
    "",
    "",
]
MYSTERY_WHY = {
    "KNOWLEDGE": {
        "low": [
            "Ei tiennyt tuotteiden eroja, luki vain hintalappua.",
            "Joutui hakemaan kollegan jokaiseen kysymykseen.",
        ],
        "mid": ["Osasi perusasiat, takuuehdoista ei ollut varma."],
        "high": [
            "Tunsi tuotteet perusteellisesti ja vertaili vaihtoehtoja.",
            "Kertoi huollosta ja takuusta oma-aloitteisesti.",
        ],
    },
    "SKILLS": {
        "low": ["Ei yrittänyt ratkaista tarvettani, ohjasi nettisivuille."],
        "mid": ["Löysi sopivan tuotteen, mutta vaihtoehtoja ei esitelty."],
        "high": [
            "Kysyi käyttötarpeesta ja löysi juuri sopivan ratkaisun.",
            "Tilasi puuttuvan koon valmiiksi noudettavaksi.",
        ],
    },
    "ATTITUDE": {
        "low": ["Vaikutti kiireiseltä ja välinpitämättömältä."],
        "mid": ["Ystävällinen, mutta ei kuunnellut loppuun."],
        "high": [
            "Kuunteli tarkasti ja muisti mitä olin kertonut.",
            "Lämmin ja aidosti kiinnostunut tilanteestani.",
        ],
    },
}
VISIT_DESCRIPTIONS = [
    "Kävin iltapäivällä, myymälässä oli muutama muu asiakas.",
    "Kysyin lahjaideaa ja vertailin kahta tuotetta.",
    "Esitin tilanteen, jossa vanha laite oli hajonnut.",
    "Asioin ruuhka-aikaan lauantaina.",
]
SHOPPERS = [
    ("Riikka Testaaja", "riikka.testaaja@example.com"),
    ("Pekka Haamu", "pekka.haamu@example.com"),
    ("Maija Asiakas", ""),
]


def skill_of(salesperson) -> float:
    """The person's underlying quality (0..1), shared with the other apps' demo data."""
    return random.Random("skill-" + salesperson.name).uniform(0.35, 0.98)


def draw(rng, skill, low, high, spread=0.7) -> int:
    mean = low + (high - low) * skill
    return max(low, min(high, round(rng.gauss(mean, spread))))


def band(value) -> str:
    return "low" if value <= 2 else "mid" if value == 3 else "high"


def at_shop_hours(rng, moment):
    local = timezone.localtime(moment)
    return local.replace(
        hour=rng.randint(10, 18), minute=rng.choice([0, 15, 30, 45]), second=0, microsecond=0
    )


@transaction.atomic
def seed(organisation, *, now, rng, stdout=None):
    """Fill realistic observations data for the organisation; do nothing when it already has some."""
    if (
        Checklist.objects.filter(organisation=organisation).exists()
        or MysteryPlan.objects.filter(organisation=organisation).exists()
    ):
        return
    obs_questions = active_questions(organisation, Method.OBSERVATION)
    mys_questions = active_questions(organisation, Method.MYSTERY_SHOP)
    people = list(
        organisation.salespeople.filter(active=True)
        .select_related("team")
        .prefetch_related("team__managers")
        .order_by("id")
    )
    managers = {p.team_id: list(p.team.managers.order_by("id")) for p in people}

    # Observations: about monthly for the last 12 months.
    checklists, submissions, answer_rows = [], [], []
    for person in people:
        skill = skill_of(person)
        author = (managers[person.team_id] or [None])[0]
        for month in range(12):
            if rng.random() < 0.12:
                continue
            observed_at = at_shop_hours(rng, now - timedelta(days=30 * month + rng.uniform(3, 27)))
            if observed_at > now:
                continue
            values = {q: draw(rng, skill, *q.value_range) for q in obs_questions}
            notes = {
                q: rng.choice(OBSERVATION_NOTES[band(v)]) if rng.random() < 0.35 else ""
                for q, v in values.items()
            }
            submissions.append(
                Submission(
                    organisation=organisation,
                    method=Method.OBSERVATION,
                    salesperson=person,
                    team=person.team,
                    answered_at=observed_at,
                )
            )
            answer_rows.append([(q, values[q], notes[q]) for q in obs_questions])
            checklists.append(
                Checklist(
                    organisation=organisation,
                    salesperson=person,
                    author=author,
                    observed_at=observed_at,
                    location=rng.choice(LOCATIONS),
                    general_note=rng.choice(GENERAL_NOTES),
                    status=ChecklistStatus.SUBMITTED,
                    submitted_at=observed_at + timedelta(minutes=rng.randint(5, 90)),
                    idempotency_key=uuid.UUID(int=rng.getrandbits(128)),
                )
            )

    # Mystery tests: a few per person over the year, each from a plan that was used.
    plans, tests = [], []
    for person in people:
        skill = skill_of(person)
        author = (managers[person.team_id] or [None])[0]
        for _visit in range(rng.randint(2, 4)):
            start = timezone.localdate(now) - timedelta(days=rng.randint(20, 350))
            end = start + timedelta(days=14)
            visited_at = at_shop_hours(rng, end_of_day(start) + timedelta(days=rng.randint(0, 12)))
            shopper_name, shopper_email = rng.choice(SHOPPERS)
            team_plan = rng.random() < 0.2
            plans.append(
                MysteryPlan(
                    organisation=organisation,
                    team=person.team,
                    salesperson=None if team_plan else person,
                    window_start_date=start,
                    window_end_date=end,
                    expires_at=end_of_day(end),
                    shopper_name=shopper_name,
                    shopper_email=shopper_email,
                    instructions="Kysy tuotteen ominaisuuksista ja takuusta.",
                    created_by=author,
                    used_at=visited_at + timedelta(hours=rng.randint(1, 20)),
                    emailed_at=None,
                )
            )
            values = {q: draw(rng, skill, *q.value_range) for q in mys_questions}
            whys = {
                q: rng.choice(MYSTERY_WHY.get(q.area, MYSTERY_WHY["SKILLS"])[band(v)])
                if rng.random() < 0.8
                else ""
                for q, v in values.items()
            }
            submissions.append(
                Submission(
                    organisation=organisation,
                    method=Method.MYSTERY_SHOP,
                    salesperson=person,
                    team=person.team,
                    answered_at=visited_at,
                )
            )
            answer_rows.append([(q, values[q], whys[q]) for q in mys_questions])
            tests.append(
                MysteryTest(
                    salesperson=person,
                    visited_at=visited_at,
                    description=rng.choice(VISIT_DESCRIPTIONS),
                    salesperson_description=person.name if team_plan else "",
                )
            )

    Submission.objects.bulk_create(submissions)
    Answer.objects.bulk_create(
        Answer.for_question(question, value, why, submission=submission)
        for submission, rows in zip(submissions, answer_rows, strict=True)
        for question, value, why in rows
    )
    for checklist, submission in zip(checklists, submissions, strict=False):
        checklist.submission = submission
    Checklist.objects.bulk_create(checklists)
    MysteryPlan.objects.bulk_create(plans)
    for test, plan, submission in zip(tests, plans, submissions[len(checklists) :], strict=True):
        test.plan = plan
        test.submission = submission
    MysteryTest.objects.bulk_create(tests)

    # A few corrections, with the previous version kept.
    revisions = []
    for index in rng.sample(range(len(checklists)), min(6, len(checklists))):
        checklist = checklists[index]
        previous = {
            "observed_at": checklist.observed_at.isoformat(),
            "location": "Kassa",
            "general_note": checklist.general_note,
            "answers": {
                question.code: {"value": value, "note": note}
                for question, value, note in answer_rows[index]
            },
        }
        if checklist.location != "Kassa":
            revisions.append(
                ChecklistRevision(
                    checklist=checklist,
                    edited_by=checklist.author,
                    edited_at=checklist.submitted_at + timedelta(hours=2),
                    previous=previous,
                    changes=[{"field": "location", "before": "Kassa", "after": checklist.location}],
                )
            )
    ChecklistRevision.objects.bulk_create(revisions)

    # Drafts to finish: one or two per manager, from the last days.
    drafts = []
    for team_id, team_managers in managers.items():
        team_people = [p for p in people if p.team_id == team_id]
        for person in rng.sample(team_people, min(2, len(team_people))):
            skill = skill_of(person)
            answered = obs_questions[: rng.randint(1, max(1, len(obs_questions) - 1))]
            drafts.append(
                Checklist(
                    organisation=organisation,
                    salesperson=person,
                    author=(team_managers or [None])[0],
                    observed_at=at_shop_hours(rng, now - timedelta(days=rng.randint(1, 5))),
                    location=rng.choice(LOCATIONS),
                    status=ChecklistStatus.DRAFT,
                    draft_answers={
                        str(q.pk): {"value": draw(rng, skill, *q.value_range), "note": ""}
                        for q in answered
                    },
                    idempotency_key=uuid.UUID(int=rng.getrandbits(128)),
                )
            )
    Checklist.objects.bulk_create(drafts)

    # Open and closed plans of the last and next weeks: planned, expired, cancelled.
    today = timezone.localdate(now)
    open_plans = []
    teams = {p.team_id: p.team for p in people}
    for team_id, team in teams.items():
        team_people = [p for p in people if p.team_id == team_id]
        author = (managers[team_id] or [None])[0]
        choices = rng.sample(team_people, min(4, len(team_people)))
        kinds = [
            ("planned", 0, 14, choices[0]),
            ("planned", 5, 20, None),
            ("expired", -40, -25, choices[1]),
            ("cancelled", -10, 10, choices[2]),
        ]
        if len(choices) > 3:
            kinds.append(("planned", -3, 4, choices[3]))
        for kind, start_offset, end_offset, person in kinds:
            end = today + timedelta(days=end_offset)
            shopper_name, shopper_email = rng.choice(SHOPPERS)
            open_plans.append(
                MysteryPlan(
                    organisation=organisation,
                    team=team,
                    salesperson=person,
                    window_start_date=today + timedelta(days=start_offset),
                    window_end_date=end,
                    expires_at=end_of_day(end),
                    shopper_name=shopper_name,
                    shopper_email=shopper_email,
                    instructions="Kysy lahjaideaa noin 50 euron budjetilla.",
                    created_by=author,
                    cancelled_at=now - timedelta(days=2) if kind == "cancelled" else None,
                )
            )
    MysteryPlan.objects.bulk_create(open_plans)
    templated = seed_templates(organisation, now=now, rng=rng, people=people, managers=managers)
    programme = seed_mystery_programme(organisation, now=now, rng=rng, people=people)

    if stdout is not None:
        stdout.write(
            f"Observations: {len(checklists)} checklists ({len(drafts)} drafts), "
            f"{len(tests)} mystery tests, {len(open_plans)} open or closed plans, "
            f"2 checklist templates ({len(templated)} checklists made with one), "
            f"{programme}."
        )


# Two templates, each the bank's observation questions of some areas (a richer bank adds to them).
TEMPLATES = [
    (("Tervehdys ja odotus", "Hälsning och väntan", "Greeting and waiting"), {"ATTITUDE"}),
    (("Tuotetuntemus", "Produktkännedom", "Product knowledge"), {"SKILLS", "KNOWLEDGE"}),
]


def seed_templates(organisation, *, now, rng, people, managers) -> list[Checklist]:
    """The two templates, and yesterday's checklist made with the first for one person a team."""
    from .checklist_templates import bank_questions

    questions = list(bank_questions(organisation))
    templates = []
    for (name_fi, name_sv, name_en), areas in TEMPLATES:
        template = ChecklistTemplate.objects.create(
            organisation=organisation, name_fi=name_fi, name_sv=name_sv, name_en=name_en
        )
        chosen = [q for q in questions if q.area in areas] or questions[:1]
        ChecklistTemplateQuestion.objects.bulk_create(
            ChecklistTemplateQuestion(template=template, question=question, position=index)
            for index, question in enumerate(chosen, start=1)
        )
        templates.append((template, chosen))
    template, chosen = templates[0]
    made = []
    for team_id in sorted({p.team_id for p in people}):
        person = next(p for p in people if p.team_id == team_id)
        observed_at = at_shop_hours(rng, now - timedelta(days=1))
        if observed_at > now:
            observed_at = now - timedelta(hours=1)
        submission = Submission.objects.create(
            organisation=organisation,
            method=Method.OBSERVATION,
            salesperson=person,
            team=person.team,
            answered_at=observed_at,
        )
        skill = skill_of(person)
        Answer.objects.bulk_create(
            Answer.for_question(q, draw(rng, skill, *q.value_range), "", submission=submission)
            for q in chosen
        )
        made.append(
            Checklist.objects.create(
                organisation=organisation,
                salesperson=person,
                author=(managers[team_id] or [None])[0],
                observed_at=observed_at,
                location="Sisäänkäynti, aamupäivä",
                status=ChecklistStatus.SUBMITTED,
                submitted_at=observed_at + timedelta(minutes=20),
                submission=submission,
                template=template,
                idempotency_key=uuid.UUID(int=rng.getrandbits(128)),
            )
        )
    return made


SCENARIO = {
    "name": "Lahja 10-vuotiaalle",
    "instructions_fi": (
        "Kerro etsiväsi lahjaa 10-vuotiaalle, budjetti noin 40 euroa. Katso, kysyykö myyjä "
        "lapsen kiinnostuksen kohteista ja ehdottaako hän useampaa vaihtoehtoa."
    ),
    "instructions_sv": (
        "Berätta att du söker en present till en 10-åring, budget cirka 40 euro. Se om "
        "säljaren frågar om barnets intressen och föreslår flera alternativ."
    ),
    "instructions_en": (
        "Say you are looking for a gift for a 10-year-old, budget about 40 euros. Notice "
        "whether the salesperson asks about the child's interests and suggests several options."
    ),
}


def seed_mystery_programme(organisation, *, now, rng, people) -> str:
    """A scenario; a quarterly schedule for the first team whose last quarter was visited but
    for one person (that visit is overdue) and whose this quarter is planned; review before it
    counts on, with one test of this quarter waiting for a manager."""
    from asiakaskunto.evidence import record_submission

    from .models import (
        Frequency,
        MysteryScenario,
        MysterySchedule,
        MysterySettings,
        ReviewStatus,
        period_of,
    )
    from .scenarios import mystery_bank
    from .schedules import generate_plans

    if not people:
        return "no mystery programme (no salespeople)"
    scenario = MysteryScenario.objects.create(organisation=organisation, **SCENARIO)
    questions = list(mystery_bank(organisation))
    scenario.questions.set(questions)
    MysterySettings.objects.create(organisation=organisation, review_required=True)
    team = min((person.team for person in people), key=lambda team: team.pk)
    today = timezone.localdate(now)
    this_start, _end = period_of(today, Frequency.QUARTER)
    last_start, last_end = period_of(this_start - timedelta(days=1), Frequency.QUARTER)
    author = team.managers.order_by("id").first()
    schedule = MysterySchedule.objects.create(
        organisation=organisation,
        team=team,
        frequency=Frequency.QUARTER,
        scenario=scenario,
        starts_on=last_start,
        created_by=author,
    )
    generate_plans(schedule, today=last_start)
    last_quarter = list(schedule.plans.select_related("salesperson").order_by("id"))
    # Everyone was visited last quarter but the last one: theirs is overdue.
    for plan in last_quarter[:-1]:
        visited_at = at_shop_hours(rng, end_of_day(last_start) + timedelta(days=rng.randint(5, 80)))
        skill = skill_of(plan.salesperson)
        submission = record_submission(
            organisation=organisation,
            method=Method.MYSTERY_SHOP,
            salesperson=plan.salesperson,
            team=team,
            answered_at=visited_at,
            answers=[(q, draw(rng, skill, *q.value_range), "") for q in questions],
        )
        MysteryPlan.objects.filter(pk=plan.pk).update(used_at=visited_at + timedelta(hours=3))
        MysteryTest.objects.create(
            plan=plan,
            submission=submission,
            salesperson=plan.salesperson,
            visited_at=visited_at,
            description=rng.choice(VISIT_DESCRIPTIONS),
            review_status=ReviewStatus.APPROVED,
            reviewed_by=author,
            reviewed_at=visited_at + timedelta(days=1),
        )
    generate_plans(schedule, today=today)
    # This quarter: one shopper has been already; the test waits for the manager's review.
    plan = (
        schedule.plans.filter(period_start=this_start)
        .select_related("salesperson")
        .order_by("id")
        .first()
    )
    window_opened = end_of_day(this_start) - timedelta(days=1)
    visited_at = max(now - timedelta(days=1), window_opened)
    skill = skill_of(plan.salesperson)
    MysteryPlan.objects.filter(pk=plan.pk).update(used_at=now)
    MysteryTest.objects.create(
        plan=plan,
        salesperson=plan.salesperson,
        visited_at=visited_at,
        description="Myyjä kysyi lapsen harrastuksista ja näytti kolme vaihtoehtoa.",
        review_status=ReviewStatus.PENDING,
        pending_answers=[
            {
                "question": q.pk,
                "value": draw(rng, skill, *q.value_range),
                "why": rng.choice(MYSTERY_WHY.get(q.area, MYSTERY_WHY["SKILLS"])["high"]),
            }
            for q in questions
        ],
    )
    return (
        f"mystery scenario “{scenario.name}”, a quarterly schedule for {team.name} "
        f"({len(last_quarter) - 1} of {len(last_quarter)} visited last quarter), "
        "one test waiting for review"
    )
