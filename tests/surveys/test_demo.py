"""The demo data: a year of customer answers that spreads people apart, and follow-ups."""

import random
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from asiakaskunto.demo import seed_organisation
from asiakaskunto.models import Answer, Method, Submission
from sampling.models import SampleBatch
from surveys import demo
from surveys.models import FollowUp, LinkDayViews, SurveyLink, SurveyResponse

pytestmark = pytest.mark.django_db


def test_the_demo_fills_a_year_of_answers_once():
    organisation, _logins = seed_organisation()
    now = timezone.now()
    demo.seed(organisation, now=now, rng=random.Random(1))
    submissions = Submission.objects.filter(organisation=organisation, method=Method.CUSTOMER)
    total = submissions.count()
    assert SurveyResponse.objects.count() == total
    assert submissions.filter(answered_at__lt=now - timedelta(days=365)).count() == 0
    per_person = Counter(
        submissions.exclude(salesperson=None).values_list("salesperson", flat=True)
    )
    assert sum(n >= 5 for n in per_person.values()) >= 20
    assert min(per_person.values()) < 5 or len(per_person) < 25  # some have only a few
    assert submissions.filter(salesperson=None).exists()  # "don't know" on team links
    statuses = Counter(FollowUp.objects.values_list("status", flat=True))
    assert statuses["RESOLVED"] and statuses["OPEN"]
    assert Answer.objects.exclude(why="").filter(question__code="CUS3").exists()
    values = set(Answer.objects.filter(question__code="CUS3").values_list("value", flat=True))
    assert {2, 6, 8, 10} <= values
    assert SurveyLink.objects.filter(salesperson=None).count() == 3
    interviews = SurveyResponse.objects.filter(interviewed=True).select_related("submission")
    assert interviews.count() == 3 * demo.INTERVIEWS_PER_TEAM
    for response in interviews:  # asked by a manager of the salesperson's team, not by a link
        assert response.link is None
        assert response.submission.team.managers.filter(pk=response.interviewer_id).exists()
    batch = SampleBatch.objects.get()
    invitations = batch.invitations.all()
    assert invitations.count() == batch.drawn > 0
    assert invitations.filter(email="", used_at__isnull=True).exclude(phone="").exists()
    assert invitations.filter(used_at__isnull=False).exists()
    assert LinkDayViews.objects.exists()
    demo.seed(organisation, now=now, rng=random.Random(1))
    assert Submission.objects.filter(method=Method.CUSTOMER).count() == total
    assert SampleBatch.objects.count() == 1
