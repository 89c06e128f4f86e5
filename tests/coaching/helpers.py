"""Evidence that gives a salesperson development targets, and more that lifts them."""

from datetime import timedelta

from django.utils import timezone

from asiakaskunto.models import Method
from tests.factories import submit


def weak_evidence(person, *, days_ago=30, surveys=5):
    """Enough evidence for a grade, with skills and attitude far below every floor:
    CUS1 (skills) 2/5 = 25, CUS2 (loyalty) 2/5, CUS3 (NPS) 3/10; observations 2/5."""
    at = timezone.now() - timedelta(days=days_ago)
    for i in range(surveys):
        submit(
            person,
            Method.CUSTOMER,
            {"CUS1": 2, "CUS2": 2, "CUS3": 3},
            answered_at=at + timedelta(minutes=i),
            why={"CUS1": f"Jonotin pitkään {i}"},
        )
    submit(person, Method.OBSERVATION, {"OBS1": 2, "OBS2": 2, "OBS3": 2}, answered_at=at)


def strong_evidence(person, *, count=12, at=None):
    """Many fresh top answers in every area the weak evidence touched."""
    at = at or timezone.now() - timedelta(minutes=5)
    for i in range(count):
        submit(
            person,
            Method.CUSTOMER,
            {"CUS1": 5, "CUS2": 5, "CUS3": 10},
            answered_at=at - timedelta(seconds=i),
        )
        submit(
            person,
            Method.OBSERVATION,
            {"OBS1": 5, "OBS2": 5, "OBS3": 5},
            answered_at=at - timedelta(seconds=i),
        )
