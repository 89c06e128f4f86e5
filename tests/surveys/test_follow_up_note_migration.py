"""The single note a follow-up had before it kept a history becomes its first note, and its
known times become its status changes (migration surveys 0005)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("surveys", "0004_follow_up_notes_and_status_changes")]
AFTER = [("surveys", "0006_remove_follow_up_single_note")]


@pytest.fixture
def back_to_the_latest_migrations():
    """The tests after this one need every migration's tables and columns again."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_migrations")
def test_the_single_note_becomes_the_first_note_with_its_author():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("auth", "User").objects.create(username="vanha")
    organisation = old.get_model("asiakaskunto", "Organisation").objects.create(name="Oy")
    team = old.get_model("asiakaskunto", "Team").objects.create(organisation=organisation, name="T")
    now = timezone.now()
    Submission = old.get_model("asiakaskunto", "Submission")
    FollowUp = old.get_model("surveys", "FollowUp")

    def follow_up(**fields):
        submission = Submission.objects.create(
            organisation=organisation, method="CUSTOMER", team=team, answered_at=now
        )
        return FollowUp.objects.create(
            organisation=organisation,
            submission=submission,
            team=team,
            reason="CUS3=2",
            answered_at=now - timedelta(hours=30),
            **fields,
        )

    resolved = follow_up(
        status="RESOLVED",
        note="Soitin ja hyvitin.",
        handled_by=user,
        contacted_at=now - timedelta(hours=20),
        resolved_at=now,
        time_to_resolve=timedelta(hours=30),
    )
    untouched = follow_up()

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Note = new.get_model("surveys", "FollowUpNote")
    Change = new.get_model("surveys", "FollowUpStatusChange")

    note = Note.objects.get()
    assert note.follow_up_id == resolved.pk and note.text == "Soitin ja hyvitin."
    assert note.author_id == user.pk and note.created_at == now
    changes = Change.objects.order_by("changed_at")
    assert [(c.from_status, c.to_status, c.changed_by_id) for c in changes] == [
        ("OPEN", "CONTACTED", user.pk),
        ("CONTACTED", "RESOLVED", user.pk),
    ]
    assert not Note.objects.filter(follow_up_id=untouched.pk).exists()
