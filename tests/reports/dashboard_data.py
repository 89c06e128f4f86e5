"""Evidence for the dashboard tests and a local look: salespeople of differing skill with a
year of observations, mystery-shop tests and customer surveys, written in bulk."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from asiakaskunto.models import Answer, Method, Question, Submission
from tests.factories import SalespersonFactory

CODES = {
    Method.OBSERVATION: ["OBS1", "OBS2", "OBS3"],
    Method.MYSTERY_SHOP: ["MYS1", "MYS2", "MYS3"],
    Method.CUSTOMER: ["CUS1", "CUS2", "CUS3", "CSAT", "CES"],
}
WHYS = ["Ystävällinen palvelu", "Joutui odottamaan", "Tuntee tuotteet hyvin", "Ei ehtinyt auttaa"]


def fill(teams, *, people_per_team=0, people=None, surveys=8, days=330, seed=1, now=None):
    """Give every salesperson of ``people`` (or ``people_per_team`` new ones per team) about
    ``surveys`` customer surveys, 3 observations and a mystery-shop test within ``days``;
    skill differs per person so that levels spread. Returns the salespeople."""
    rng = random.Random(seed)
    now = now or timezone.now()
    people = list(people or [])
    for team in teams:
        people += [SalespersonFactory(team=team) for _ in range(people_per_team)]
    questions = {q.code: q for q in Question.objects.all()}
    plan = []
    for person in people:
        skill = rng.uniform(0.35, 1.0)
        counts = {Method.CUSTOMER: surveys, Method.OBSERVATION: 3, Method.MYSTERY_SHOP: 1}
        for method, count in counts.items():
            for _ in range(count):
                at = now - timedelta(days=rng.uniform(1, days), hours=rng.uniform(0, 8))
                plan.append((person, method, at, skill))
    submissions = Submission.objects.bulk_create(
        Submission(
            organisation=person.organisation,
            method=method,
            salesperson=person,
            team=person.team,
            answered_at=at,
        )
        for person, method, at, _ in plan
    )
    answers = []
    for submission, (_, method, _, skill) in zip(submissions, plan, strict=True):
        for code in CODES[method]:
            question = questions[code]
            low, high = question.value_range
            latent = min(1.0, max(0.0, rng.gauss(skill, 0.15)))
            value = round(low + latent * (high - low))
            why = rng.choice(WHYS) if question.asks_why and rng.random() < 0.3 else ""
            answers.append(Answer.for_question(question, value, why, submission=submission))
    Answer.objects.bulk_create(answers, batch_size=2000)
    return people
