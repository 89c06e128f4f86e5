"""The weekly digest: each manager gets their to-do list, leadership the teams' movement,
overdue follow-ups, teams below the target and the season's progress; `send_digests` sends them
through the tasks API, `--dry-run` prints them; a reader who switched the digest off gets none."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from asiakaskunto.models import EmailPreference, Method
from coaching.digests import FOLLOW_UP_OVERDUE_AFTER, leadership_digest
from coaching.models import Season
from surveys.models import FollowUp
from tests.factories import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def readers(org):
    for user in (org.leader, org.manager_a, org.manager_b, org.seller_a_user):
        user.email = f"{user.username}@example.com"
        user.save()
    return org


def follow_up(org, person, *, hours_ago, status="OPEN"):
    answered_at = timezone.now() - timedelta(hours=hours_ago)
    submission = submit(person, Method.CUSTOMER, {"CUS3": 2}, answered_at=answered_at)
    return FollowUp.objects.create(
        organisation=org.organisation,
        submission=submission,
        team=person.team,
        salesperson=person,
        reason="CUS3=2",
        answered_at=answered_at,
        status=status,
    )


def run(*args):
    out = StringIO()
    call_command("send_digests", *args, stdout=out)
    return out.getvalue()


def test_the_dry_run_prints_one_digest_per_manager_and_one_for_leadership(readers):
    output = run("--dry-run")
    assert output.count("== LEADERSHIP digest to leader <leader@example.com>") == 1
    assert output.count("== MANAGER digest to manager_a <manager_a@example.com>") == 1
    assert output.count("== MANAGER digest to manager_b <manager_b@example.com>") == 1
    assert "seller_a" not in output  # salespeople get no digest
    assert "3 digests printed" in output
    assert not mail.outbox


def test_each_manager_gets_their_own_teams_to_do_list(readers, django_capture_on_commit_callbacks):
    org = readers
    follow_up(org, org.seller_a, hours_ago=3)
    follow_up(org, org.seller_b, hours_ago=3)
    run()
    by_reader = {message.to[0]: message for message in mail.outbox}
    assert set(by_reader) == {
        "leader@example.com",
        "manager_a@example.com",
        "manager_b@example.com",
    }
    body_a = by_reader["manager_a@example.com"].body
    assert "Aino Seller" in body_a and "Bertta Seller" not in body_a
    assert "/surveys/follow-ups/" in body_a and "http" in body_a
    assert "Tehtävälistasi tälle viikolle:" in body_a  # Finnish by default
    assert by_reader["manager_a@example.com"].extra_headers["List-Unsubscribe"].startswith("<http")


def test_leadership_sees_overdue_follow_ups_and_teams_below_target(readers):
    org = readers
    overdue = follow_up(
        org, org.seller_a, hours_ago=FOLLOW_UP_OVERDUE_AFTER.total_seconds() / 3600 + 1
    )
    follow_up(org, org.seller_b, hours_ago=2)  # not overdue yet
    follow_up(org, org.seller_b, hours_ago=200, status="RESOLVED")  # handled
    for _ in range(5):
        submit(org.seller_a, Method.CUSTOMER, {"CUS1": 1, "CUS2": 1, "CUS3": 1})
    submit(org.seller_a, Method.OBSERVATION, {"OBS1": 1, "OBS2": 1, "OBS3": 1})
    digest = leadership_digest(org.organisation, now=timezone.now())
    assert digest.overdue_count == 1 and [row.pk for row in digest.overdue] == [overdue.pk]
    assert [team.name for team in digest.below_target] == ["Team A"]
    run()
    body = next(m.body for m in mail.outbox if m.to == ["leader@example.com"])
    assert "Myöhässä olevat seurannat: 1" in body
    assert f"/surveys/follow-ups/{overdue.pk}/" in body
    assert "Team A: KEHITETTÄVÄÄ" in body


def test_leadership_sees_the_seasons_progress(readers):
    today = timezone.localdate()
    Season.objects.create(
        organisation=readers.organisation,
        name="Talvi",
        start_date=today - timedelta(days=9),
        end_date=today + timedelta(days=80),
    )
    run()
    body = next(m.body for m in mail.outbox if m.to == ["leader@example.com"])
    assert "Talvi: päivä 10/90." in body


def test_a_digest_in_the_readers_language(readers):
    EmailPreference.objects.create(user=readers.manager_b, language="sv")
    run()
    message = next(m for m in mail.outbox if m.to == ["manager_b@example.com"])
    assert message.subject.startswith("Din vecka i Asiakaskunto")


def test_a_reader_who_switched_it_off_gets_none(readers):
    EmailPreference.objects.create(user=readers.manager_a, weekly_digest=False)
    output = run()
    assert "manager_a@example.com" not in [m.to[0] for m in mail.outbox]
    assert len(mail.outbox) == 2 and "1 switched off" in output


def test_the_dry_run_on_the_demo_prints_a_digest_per_manager_and_one_for_leadership():
    import random

    from asiakaskunto.demo import seed_organisation
    from surveys import demo
    from surveys.models import FollowUpNote, FollowUpStatusChange

    organisation, _logins = seed_organisation()
    demo.seed(organisation, now=timezone.now(), rng=random.Random(1))
    output = run("--dry-run")
    assert output.count("== LEADERSHIP digest to johto ") == 1
    assert [line.split()[4] for line in output.splitlines() if "== MANAGER digest" in line] == [
        "esimies1",
        "esimies2",
        "esimies3",
    ]
    assert "4 digests printed, 0 switched off." in output
    assert not mail.outbox
    # The demo's handled follow-ups have their history, by their team's manager.
    assert FollowUpNote.objects.exclude(author=None).exists()
    assert FollowUpStatusChange.objects.filter(to_status="RESOLVED").exists()
