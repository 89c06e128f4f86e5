"""The daily retention job erases what each organisation's settings say is too old, and only
that; a dry run counts the same and changes nothing."""

from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessLog
from django.core.management import call_command
from django.utils import timezone

from asiakaskunto.models import Answer, Method, Submission
from observations.models import Checklist, MysteryPlan
from privacy.models import RetentionSettings
from privacy.retention import months_before
from surveys.models import FollowUpNote, Invitation, SurveyResponse
from tests.factories import OrganisationFactory, SalespersonFactory, TeamFactory, submit
from tests.observations.factories import ChecklistFactory, MysteryPlanFactory
from tests.privacy.factories import customer_answer
from tests.surveys.factories import InvitationFactory

NOW = timezone.now()


def ago(days):
    return timezone.now() - timedelta(days=days)


def run(*args):
    out = StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def customer(org, days_ago, person=None):
    return customer_answer(
        person or org.seller_a,
        contact="kaisa@example.com",
        free_text="Jonot",
        why="Odotin",
        note="Soitin",
        answered_at=ago(days_ago),
    )


def text_of(submission):
    response = SurveyResponse.objects.get(submission=submission)
    whys = list(Answer.objects.filter(submission=submission).values_list("why", flat=True))
    notes = list(
        FollowUpNote.objects.filter(follow_up__submission=submission).values_list("text", flat=True)
    )
    return response.contact, response.free_text, whys, notes


def test_months_before_keeps_the_time_and_clips_the_day():
    moment = timezone.datetime(2026, 3, 31, 12, 30, tzinfo=timezone.UTC)
    assert months_before(moment, 1) == timezone.datetime(2026, 2, 28, 12, 30, tzinfo=timezone.UTC)
    assert months_before(moment, 15).date().isoformat() == "2024-12-31"


def test_by_default_customer_texts_go_after_12_months_and_answers_stay(org):
    old, recent = customer(org, 380), customer(org, 330)
    run()
    assert text_of(old) == ("", "", [""], [])
    assert text_of(recent) == ("kaisa@example.com", "Jonot", ["Odotin"], ["Soitin"])
    assert Submission.objects.filter(pk=old.pk).exists()  # the scores stay


def test_observation_notes_are_not_customer_texts(org):
    submission = submit(
        org.seller_a, Method.OBSERVATION, {"OBS1": 4}, why={"OBS1": "Hymyili"}, answered_at=ago(400)
    )
    run()
    assert Answer.objects.get(submission=submission).why == "Hymyili"


def test_each_organisation_keeps_its_own_months(org):
    other = OrganisationFactory()
    RetentionSettings.objects.create(organisation=other, customer_data_months=1)
    theirs = customer(org, 45, person=SalespersonFactory(team=TeamFactory(organisation=other)))
    ours = customer(org, 45)
    run()
    assert text_of(theirs)[0] == "" and text_of(ours)[0] == "kaisa@example.com"


def test_answers_older_than_the_chosen_age_are_deleted_with_their_checklists(org):
    RetentionSettings.objects.create(organisation=org.organisation, answers_months=24)
    old = submit(org.seller_a, Method.OBSERVATION, {"OBS1": 4}, answered_at=ago(800))
    ChecklistFactory(salesperson=org.seller_a, observed_at=ago(800), submission=old)
    recent = submit(org.seller_a, Method.OBSERVATION, {"OBS1": 4}, answered_at=ago(600))
    ChecklistFactory(salesperson=org.seller_a, observed_at=ago(600), submission=recent)
    run()
    assert list(Submission.objects.values_list("pk", flat=True)) == [recent.pk]
    assert list(Checklist.objects.values_list("submission", flat=True)) == [recent.pk]


def test_shoppers_addresses_go_once_the_plan_is_done_expired_or_cancelled(org):
    open_plan = MysteryPlanFactory(salesperson=org.seller_a)
    done = MysteryPlanFactory(salesperson=org.seller_a, used_at=ago(1))
    cancelled = MysteryPlanFactory(salesperson=org.seller_a, cancelled_at=ago(1))
    expired = MysteryPlanFactory(
        salesperson=org.seller_a,
        window_start_date=ago(20).date(),
        window_end_date=ago(10).date(),
    )
    run()
    shoppers = dict(MysteryPlan.objects.values_list("pk", "shopper_email"))
    assert shoppers[open_plan.pk] == "sari@example.com"
    assert shoppers[done.pk] == shoppers[cancelled.pk] == shoppers[expired.pk] == ""


def test_expired_invitations_lose_their_addresses(org):
    expired = InvitationFactory(salesperson=org.seller_a, expires_at=ago(1))
    still_open = InvitationFactory(salesperson=org.seller_a)
    run()
    expired.refresh_from_db()
    assert expired.email == "" and expired.email_erased_at is not None
    assert Invitation.objects.get(pk=still_open.pk).email == still_open.email


def test_login_records_go_after_90_days(org):
    for days, name in ((91, "old"), (89, "recent")):
        AccessLog.objects.create(username=name, ip_address="10.0.0.1")
        AccessAttempt.objects.create(
            username=name, ip_address="10.0.0.1", user_agent="x", failures_since_start=1
        )
        AccessLog.objects.filter(username=name).update(attempt_time=ago(days))
        AccessAttempt.objects.filter(username=name).update(attempt_time=ago(days))
    run()
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["recent"]
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["recent"]


def test_a_dry_run_counts_and_changes_nothing(org):
    RetentionSettings.objects.create(organisation=org.organisation, answers_months=12)
    old = customer(org, 400)
    MysteryPlanFactory(salesperson=org.seller_a, used_at=ago(1))
    AccessLog.objects.create(username="old", ip_address="10.0.0.1")
    AccessLog.objects.update(attempt_time=ago(100))
    output = run("--dry-run")
    assert "Testikauppa Oy" in output and "answers.submissions 1" in output
    assert "observations.shoppers 1" in output and "axes 1" in output
    assert text_of(old)[0] == "kaisa@example.com"
    assert MysteryPlan.objects.filter(shopper_email="sari@example.com").exists()
    assert AccessLog.objects.exists()
    assert "answers.submissions 1" in run()
    assert not Submission.objects.filter(pk=old.pk).exists()


def test_one_organisation_only(org):
    other = OrganisationFactory(name="Toinen Oy")
    RetentionSettings.objects.create(organisation=other, customer_data_months=1)
    theirs = customer(org, 45, person=SalespersonFactory(team=TeamFactory(organisation=other)))
    output = run("--organisation", str(org.organisation.pk))
    assert "Toinen Oy" not in output
    assert text_of(theirs)[0] == "kaisa@example.com"


def test_an_unknown_organisation_is_an_error(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        run("--organisation", "999999")
