"""A salesperson with something of every kind stored about them."""

from django.utils import timezone

from asiakaskunto.models import Method
from observations.models import ChecklistRevision
from surveys.models import FollowUp, SurveyResponse
from surveys.services import update_follow_up
from tests.factories import submit
from tests.observations.factories import ChecklistFactory, MysteryPlanFactory
from tests.surveys.factories import InvitationFactory, SurveyLinkFactory


def customer_answer(salesperson, *, contact="", free_text="", why="", answered_at=None, note=""):
    """A customer's survey (CUS3=3, a detractor) with its response and a follow-up."""
    submission = submit(
        salesperson, Method.CUSTOMER, {"CUS3": 3}, why={"CUS3": why}, answered_at=answered_at
    )
    SurveyResponse.objects.create(
        submission=submission, language="fi", free_text=free_text, contact=contact, consent=True
    )
    follow_up = FollowUp.objects.create(
        organisation=submission.organisation,
        submission=submission,
        team=submission.team,
        salesperson=salesperson,
        reason="CUS3=3",
        answered_at=submission.answered_at,
    )
    if note:
        manager = submission.team.managers.order_by("id").first()
        update_follow_up(follow_up, status="CONTACTED", note=note, user=manager, now=timezone.now())
    return submission


def everything_about(org, salesperson):
    """Evidence, notes and links of every app about one salesperson."""
    submit(salesperson, Method.OBSERVATION, {"OBS1": 4}, why={"OBS1": "Hymyili"})
    checklist = ChecklistFactory(
        salesperson=salesperson, author=org.manager_a, general_note="Oli töykeä"
    )
    ChecklistRevision.objects.create(
        checklist=checklist,
        edited_by=org.manager_a,
        edited_at=timezone.now(),
        previous={"general_note": "Oli vähän töykeä"},
        changes=[{"field": "note", "before": "Oli vähän töykeä", "after": "Oli töykeä"}],
    )
    MysteryPlanFactory(salesperson=salesperson, instructions="Kysy lahjakorteista")
    if not salesperson.survey_links.exists():  # one link per person
        SurveyLinkFactory(salesperson=salesperson)
    InvitationFactory(salesperson=salesperson, email="kaisa@example.com")
    customer_answer(
        salesperson,
        contact="kaisa@example.com",
        free_text="Myyjä oli kiireinen",
        why="Ei ehtinyt",
        note="Soitin, pahoittelin",
    )
