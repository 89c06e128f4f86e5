"""The demo: two seasons and plans in several states, once."""

import random

from django.utils import timezone

from coaching import demo
from coaching.models import CoachingPlan, CoachingSession, PlanStatus, Season
from tests.coaching.helpers import weak_evidence


def test_the_demo_fills_seasons_and_plans_once(org):
    for person in (org.seller_a, org.colleague_a, org.seller_b):
        weak_evidence(person, days_ago=60)
    now = timezone.now()
    demo.seed(org.organisation, now=now, rng=random.Random(1))
    assert Season.objects.count() == 2
    current = Season.objects.current(timezone.localdate()).get()
    plans = CoachingPlan.objects.all()
    assert plans.filter(status=PlanStatus.OPEN).count() >= 2
    own = plans.get(salesperson=org.seller_a)  # the one who can log in comes first
    assert own.acknowledged_at is not None and own.self_ratings.exists()
    assert own.goals.filter(due_date=current.end_date).exists()
    assert CoachingSession.objects.exists()
    counts = (Season.objects.count(), plans.count(), CoachingSession.objects.count())
    demo.seed(org.organisation, now=now, rng=random.Random(1))
    assert (Season.objects.count(), plans.count(), CoachingSession.objects.count()) == counts
