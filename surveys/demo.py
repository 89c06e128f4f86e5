"""Demo data of this app for `manage.py seed_demo`: standing links, a year of customer answers
around each salesperson's skill, team-link answers with "don't know", customers interviewed by
their team's manager (interview mode), page views of the links, a customer sample with its
e-mailed and to-be-called customers, follow-ups (most old ones resolved, recent ones open)
and a few open invitations."""

import random
from collections import Counter
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from asiakaskunto.models import Answer, Method, Role, Submission

from .models import (
    FollowUp,
    FollowUpNote,
    FollowUpStatusChange,
    Invitation,
    LinkDayViews,
    SurveyLink,
    SurveyResponse,
)
from .services import follow_up_reason, survey_questions

# Finnish "why" texts by how the answer went: low (1–2 / 0–6), middle, high.
WHY = {
    "CUS1": {
        "low": [
            "Tuotetta ei ollut, eikä vaihtoehtoa tarjottu.",
            "Jouduin etsimään itse, kukaan ei auttanut.",
            "Sain väärän tuotteen ja jouduin palaamaan.",
        ],
        "mid": [
            "Löytyi lopulta, mutta kesti hetken.",
            "Osittain, yksi koko puuttui.",
            "Sain melkein sen mitä hain.",
        ],
        "high": [
            "Myyjä löysi heti juuri oikean tuotteen.",
            "Kaikki löytyi ja sain hyvät neuvot mukaan.",
            "Sain enemmän kuin odotin, hyvä vinkki lisätarvikkeista.",
        ],
    },
    "CUS2": {
        "low": [
            "Palvelu oli välinpitämätöntä.",
            "Tuntui, etten ollut tervetullut.",
            "Hinnat ja palvelu eivät houkuttele takaisin.",
        ],
        "mid": [
            "Ehkä, riippuu valikoimasta.",
            "Sijainti on hyvä, palvelu tavallista.",
            "Jos tarvitsen, niin luultavasti.",
        ],
        "high": [
            "Ehdottomasti, täällä on aina hyvä palvelu.",
            "Kyllä, myyjä muisti minut edelliseltä kerralta.",
            "Tulen varmasti uudelleen.",
        ],
    },
    "CUS3": {
        "low": [
            "Jonotin pitkään eikä kukaan pahoitellut.",
            "Myyjä ei tuntunut tuntevan tuotteita.",
            "En saanut apua ongelmaani.",
        ],
        "mid": [
            "Ihan ok, ei mitään erityistä.",
            "Hyvä valikoima, palvelu vähän kiireistä.",
            "Perusasiat kunnossa.",
        ],
        "high": [
            "Asiantunteva ja ystävällinen palvelu.",
            "Myyjä oli aidosti kiinnostunut tarpeestani.",
            "Paras palvelu pitkään aikaan!",
        ],
    },
}
FREE_TEXTS = [
    "Kiitos hyvästä palvelusta!",
    "Kassalla oli pitkä jono.",
    "Parkkipaikkoja saisi olla enemmän.",
    "Myymälä oli siisti ja selkeä.",
    "Toivoisin laajempia aukioloaikoja.",
]
FOLLOW_UP_NOTES = [
    "Soitin asiakkaalle ja pahoittelin; tarjottiin korvaava tuote.",
    "Asiakkaalle lähetettiin lahjakortti, asia käyty tiimin kanssa läpi.",
    "Keskusteltu myyjän kanssa, asiakas tyytyväinen ratkaisuun.",
]
LOW_PEOPLE = 3  # this many salespeople get only a few answers (not enough data)
INTERVIEWS_PER_TEAM = 2  # the latest answers about each team's people were asked by its manager


def _clip(value: float) -> float:
    return min(1.0, max(0.0, value))


def _values(skill: float, rng: random.Random) -> dict[str, int]:
    """One customer's answers around the salesperson's skill (0–1)."""
    mood = rng.gauss(0, 0.1)  # one customer's day shifts all their answers together

    def five():
        return 1 + round(4 * _clip(skill + mood + rng.gauss(0, 0.15)))

    return {
        "CUS1": five(),
        "CUS2": five(),
        "CUS3": round(10 * _clip(skill + 0.12 + mood + rng.gauss(0, 0.12))),
        "CSAT": five(),
        "CES": five(),
    }


def _other_values(values: dict[str, int], questions: dict, rng: random.Random) -> dict[str, int]:
    """Answers to the organisation's other active survey questions (those leadership took into
    use from the richer bank), near the customer's "did you get what you came for" answer."""
    base = values["CUS1"]
    out = {}
    for code, question in questions.items():
        if code in values:
            continue
        if question.scale == "YES_PARTLY_NO":
            out[code] = 2 if base + rng.choice((-1, 0, 0, 1)) >= 4 else 1 if base >= 3 else 0
        else:
            low, high = question.value_range
            out[code] = min(high, max(low, base + rng.choice((-1, 0, 0, 1))))
    return out


def _band(code: str, value: int) -> str:
    if code == "CUS3":
        return "low" if value <= 6 else "mid" if value <= 8 else "high"
    return "low" if value <= 2 else "mid" if value <= 3 else "high"


def _moment(start, rng: random.Random):
    """A time within 91 days after start, in opening hours."""
    day = start + timedelta(days=rng.randrange(91))
    return day.replace(hour=rng.randint(9, 19), minute=rng.randrange(60), second=0, microsecond=0)


@transaction.atomic
def _follow_up_history(follow_ups, notes) -> None:
    """The handled follow-ups' status changes and notes, by their team's first manager."""
    managers = {}
    for follow_up in follow_ups:
        if follow_up.team_id not in managers:
            managers[follow_up.team_id] = follow_up.team.managers.order_by(
                "id"
            ).first()  # one query per team
    changes = []
    for follow_up in follow_ups:
        manager = managers[follow_up.team_id]
        status = FollowUp.Status.OPEN
        if follow_up.contacted_at:
            changes.append(
                FollowUpStatusChange(
                    follow_up=follow_up,
                    from_status=status,
                    to_status=FollowUp.Status.CONTACTED,
                    changed_by=manager,
                    changed_at=follow_up.contacted_at,
                )
            )
            status = FollowUp.Status.CONTACTED
        if follow_up.resolved_at:
            changes.append(
                FollowUpStatusChange(
                    follow_up=follow_up,
                    from_status=status,
                    to_status=FollowUp.Status.RESOLVED,
                    changed_by=manager,
                    changed_at=follow_up.resolved_at,
                )
            )
        follow_up.handled_by = manager if follow_up.contacted_at else None
    FollowUp.objects.bulk_update(
        [f for f in follow_ups if f.handled_by], ["handled_by"], batch_size=2000
    )
    FollowUpStatusChange.objects.bulk_create(changes, batch_size=2000)
    FollowUpNote.objects.bulk_create(
        [
            FollowUpNote(
                follow_up=follow_up, text=text, author=managers[follow_up.team_id], created_at=at
            )
            for follow_up, text, at in notes
        ],
        batch_size=2000,
    )


def _interviewed_rows(rows) -> set[int]:
    """The indexes of the rows that were interviews: each team's latest answers about its people."""
    latest = sorted(
        (index for index, row in enumerate(rows) if row[0] is not None),
        key=lambda index: rows[index][4],
        reverse=True,
    )
    chosen, per_team = set(), {}
    for index in latest:
        team_id = rows[index][1].pk
        if per_team.get(team_id, 0) < INTERVIEWS_PER_TEAM:
            chosen.add(index)
            per_team[team_id] = per_team.get(team_id, 0) + 1
    return chosen


def _link_views(links, responses, *, now) -> None:
    """Page views of the standing links over the last RATE_DAYS days: about three views for
    each answer (customers who looked and left), so that the links' response rates show."""
    from sampling.rates import RATE_DAYS

    rng = random.Random("link-views")  # its own generator: the answers above stay as they were
    today = timezone.localdate(now)
    since = now - timedelta(days=RATE_DAYS)
    answers = Counter(
        (response.link.pk, timezone.localdate(response.submission.answered_at))
        for response in responses
        if response.link is not None and response.submission.answered_at >= since
    )
    rows = []
    for link in links:
        for age in range(RATE_DAYS):
            day = today - timedelta(days=age)
            views = answers[(link.pk, day)] * 3 + rng.choice((0, 0, 1, 2))
            if views:
                rows.append(LinkDayViews(link=link, day=day, views=views))
    LinkDayViews.objects.bulk_create(rows, batch_size=2000)


def _sample_batch(organisation, people, *, now):
    """A sample drawn a week ago from a purchase list of four customers per salesperson: two
    drawn for each, e-mailed (some opened, some answered) or, phone only, waiting for a call."""
    from sampling.customer_list import CustomerList, Purchase
    from sampling.draw import draw
    from sampling.models import SampleBatch

    from .invitations import email_key, phone_key

    team_people = people
    if not team_people:
        return None
    drawn_at = now - timedelta(days=7)
    purchases = [
        Purchase(
            row=index + 2,
            email="" if index % 3 == 2 else f"ostaja{index}@example.com",
            phone=f"0401000{index:03d}" if index % 3 == 2 else "",
            salesperson_id=team_people[index % len(team_people)].pk,
            purchased_on=timezone.localdate(drawn_at) - timedelta(days=index % 14),
        )
        for index in range(4 * len(team_people))
    ]
    customer_list = CustomerList(purchases=purchases, sha256="0" * 64)
    result = draw(purchases, per_salesperson=2, seed=2026, asked_recently=lambda _p: False)
    batch = SampleBatch.objects.create(
        organisation=organisation,
        seed=2026,
        per_salesperson=2,
        quiet_days=90,
        file_name="ostot-marraskuu.csv",
        file_sha256=customer_list.sha256,
        rows_read=len(purchases),
        customers=result.customers,
        drawn=result.drawn,
        created_by=(
            organisation.profiles.filter(role=Role.LEADERSHIP).select_related("user").first()
        ).user,
    )
    by_id = {person.pk: person for person in team_people}
    invitations = []
    for number, purchase in enumerate(
        purchase for picks in result.chosen.values() for purchase in picks
    ):
        invitation = Invitation(
            organisation=organisation,
            salesperson=by_id[purchase.salesperson_id],
            team=by_id[purchase.salesperson_id].team,
            email=purchase.email,
            email_key=email_key(purchase.email) if purchase.email else "",
            phone=purchase.phone,
            phone_key=phone_key(purchase.phone) if purchase.phone else "",
            sample_batch=batch,
            language="fi",
            expires_at=drawn_at + timedelta(days=14),
        )
        if purchase.email:
            invitation.sent_at = drawn_at
            if number % 3 != 2:
                invitation.opened_at = drawn_at + timedelta(hours=5 + number)
            if number % 3 == 0:  # answered: the address is gone, as after a real answer
                invitation.used_at = drawn_at + timedelta(hours=6 + number)
                invitation.email, invitation.email_erased_at = "", invitation.used_at
        invitations.append(invitation)
    Invitation.objects.bulk_create(invitations)
    SampleBatch.objects.filter(pk=batch.pk).update(created_at=drawn_at)
    Invitation.objects.filter(sample_batch=batch).update(created_at=drawn_at)
    return batch


def seed(organisation, *, now, rng, stdout=None):
    """Fill realistic surveys data for the organisation; do nothing when it already has some."""
    if SurveyLink.objects.filter(organisation=organisation).exists():
        return
    questions = {q.code: q for q in survey_questions(organisation)}
    teams = list(organisation.teams.order_by("name", "id"))
    people = list(organisation.salespeople.active().select_related("team").order_by("name", "id"))
    links = SurveyLink.objects.bulk_create(
        [SurveyLink(organisation=organisation, team=team) for team in teams]
        + [SurveyLink(organisation=organisation, team=p.team, salesperson=p) for p in people]
    )
    team_links = {link.team_id: link for link in links if link.salesperson_id is None}
    person_links = {link.salesperson_id: link for link in links if link.salesperson_id}
    few = set(rng.sample([p.pk for p in people], min(LOW_PEOPLE, len(people))))

    rows = []  # (salesperson or None, team, link, values, answered_at)
    year_ago = now - timedelta(days=364)
    for person in people:
        skill = random.Random("skill-" + person.name).uniform(0.35, 0.98)
        for quarter in range(4):
            start = year_ago + timedelta(days=91 * quarter)
            count = rng.randint(0, 2) if person.pk in few else rng.randint(8, 20)
            for _ in range(count):
                answered_at = min(_moment(start, rng), now - timedelta(minutes=5))
                rows.append(
                    (person, person.team, person_links[person.pk], _values(skill, rng), answered_at)
                )
    for team in teams:  # team-link answers of customers who did not know whom they met
        for _ in range(rng.randint(10, 20)):
            start = year_ago + timedelta(days=91 * rng.randrange(4))
            answered_at = min(_moment(start, rng), now - timedelta(minutes=5))
            values = _values(rng.uniform(0.5, 0.85), rng)
            rows.append((None, team, team_links[team.pk], values, answered_at))

    submissions = Submission.objects.bulk_create(
        Submission(
            organisation=organisation,
            method=Method.CUSTOMER,
            salesperson=person,
            team=team,
            answered_at=answered_at,
        )
        for person, team, _link, _values_, answered_at in rows
    )
    interviewers = {team.pk: team.managers.order_by("id").first() for team in teams}
    interviewed = _interviewed_rows(rows)
    answers, responses, follow_ups, notes = [], [], [], []
    extra_rng = random.Random("other-questions")  # its own: the seed questions' answers stay
    for index, (submission, (person, team, link, values, answered_at)) in enumerate(
        zip(submissions, rows, strict=True)
    ):
        answered = {}
        for code, value in values.items():
            if code not in questions:
                continue
            why = ""
            if code in WHY and rng.random() < 0.45:
                why = rng.choice(WHY[code][_band(code, value)])
            answered[code] = (value, why)
            answers.append(Answer.for_question(questions[code], value, why, submission=submission))
        for code, value in _other_values(values, questions, extra_rng).items():
            answered[code] = (value, "")
            answers.append(Answer.for_question(questions[code], value, "", submission=submission))
        language = rng.choices(["fi", "sv", "en"], weights=[85, 10, 5])[0]
        response = SurveyResponse(
            submission=submission,
            link=link,
            language=language,
            consent=True,
            free_text=rng.choice(FREE_TEXTS) if rng.random() < 0.12 else "",
            contact="asiakas@example.com" if rng.random() < 0.1 else "",
        )
        if index in interviewed and interviewers[team.pk] is not None:
            response.link, response.language = None, "fi"
            response.interviewed, response.interviewer = True, interviewers[team.pk]
        responses.append(response)
        reason = follow_up_reason(answered, questions)
        if reason:
            age = now - answered_at
            follow_up = FollowUp(
                organisation=organisation,
                submission=submission,
                team=team,
                salesperson=person,
                reason=reason,
                answered_at=answered_at,
            )
            if age > timedelta(days=14) and rng.random() < 0.9:
                hours = rng.lognormvariate(3.2, 0.8)  # median ~1 day, a long tail
                follow_up.status = FollowUp.Status.RESOLVED
                follow_up.contacted_at = answered_at + timedelta(hours=hours * 0.4)
                follow_up.resolved_at = answered_at + timedelta(hours=hours)
                follow_up.time_to_resolve = timedelta(hours=hours)
                notes.append((follow_up, rng.choice(FOLLOW_UP_NOTES), follow_up.resolved_at))
            elif age > timedelta(days=3) and rng.random() < 0.5:
                follow_up.status = FollowUp.Status.CONTACTED
                follow_up.contacted_at = answered_at + timedelta(hours=rng.uniform(2, 48))
                notes.append((follow_up, "Soitettu, asiakas harkitsee.", follow_up.contacted_at))
            follow_ups.append(follow_up)
    Answer.objects.bulk_create(answers, batch_size=2000)
    SurveyResponse.objects.bulk_create(responses, batch_size=2000)
    FollowUp.objects.bulk_create(follow_ups, batch_size=2000)
    _follow_up_history(follow_ups, notes)

    invitations = [
        Invitation(
            organisation=organisation,
            salesperson=person,
            team=person.team,
            email=f"asiakas{index}@example.com",
            language="fi",
            expires_at=now + timedelta(days=10),
            sent_at=now - timedelta(days=4),
        )
        for index, person in enumerate(people[:6], start=1)
    ]
    Invitation.objects.bulk_create(invitations)
    _link_views(links, responses, now=now)
    batch = _sample_batch(organisation, people, now=now)
    if stdout:
        stdout.write(
            f"Surveys: {len(submissions)} customer answers, {len(follow_ups)} follow-ups "
            f"({sum(f.status != FollowUp.Status.RESOLVED for f in follow_ups)} open), "
            f"{len(links)} standing links, a customer sample of {batch.drawn if batch else 0}."
        )
