"""A follow-up's single note becomes its first note (by whoever handled it, when it was last
handled), and its known times become its status history: contacted, then resolved."""

from django.db import migrations


def forwards(apps, schema_editor):
    FollowUp = apps.get_model("surveys", "FollowUp")
    FollowUpNote = apps.get_model("surveys", "FollowUpNote")
    FollowUpStatusChange = apps.get_model("surveys", "FollowUpStatusChange")
    notes, changes = [], []
    for follow_up in FollowUp.objects.order_by("id").iterator(chunk_size=2000):
        status = "OPEN"
        if follow_up.contacted_at and follow_up.status in ("CONTACTED", "RESOLVED"):
            changes.append(
                FollowUpStatusChange(
                    follow_up_id=follow_up.pk,
                    from_status=status,
                    to_status="CONTACTED",
                    changed_by_id=follow_up.handled_by_id,
                    changed_at=follow_up.contacted_at,
                )
            )
            status = "CONTACTED"
        if follow_up.status == "RESOLVED" and follow_up.resolved_at:
            changes.append(
                FollowUpStatusChange(
                    follow_up_id=follow_up.pk,
                    from_status=status,
                    to_status="RESOLVED",
                    changed_by_id=follow_up.handled_by_id,
                    changed_at=follow_up.resolved_at,
                )
            )
        if follow_up.note.strip():
            notes.append(
                FollowUpNote(
                    follow_up_id=follow_up.pk,
                    text=follow_up.note,
                    author_id=follow_up.handled_by_id,
                    created_at=follow_up.resolved_at
                    or follow_up.contacted_at
                    or follow_up.updated_at,
                )
            )
    FollowUpNote.objects.bulk_create(notes, batch_size=2000)
    FollowUpStatusChange.objects.bulk_create(changes, batch_size=2000)


def backwards(apps, schema_editor):
    """The latest note goes back into the single field; the history is dropped."""
    FollowUp = apps.get_model("surveys", "FollowUp")
    FollowUpNote = apps.get_model("surveys", "FollowUpNote")
    for note in FollowUpNote.objects.order_by("follow_up_id", "created_at", "id"):
        FollowUp.objects.filter(pk=note.follow_up_id).update(note=note.text)
    FollowUpNote.objects.all().delete()
    apps.get_model("surveys", "FollowUpStatusChange").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0004_follow_up_notes_and_status_changes")]

    operations = [migrations.RunPython(forwards, backwards)]
