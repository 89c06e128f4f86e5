"""New or changed evidence and settings make cached grades stale."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from asiakaskunto.models import Answer, Organisation, Submission

from .models import ScoringConfig
from .services import invalidate_scores_on_commit


@receiver([post_save, post_delete], sender=Submission)
def submission_changed(sender, instance, **kwargs):
    invalidate_scores_on_commit(instance.organisation_id)


@receiver([post_save, post_delete], sender=Answer)
def answer_changed(sender, instance, **kwargs):
    # Corrections of a submitted checklist save or delete its answers one by one.
    organisation_id = (
        Submission.objects.filter(pk=instance.submission_id)
        .values_list("organisation_id", flat=True)
        .first()
    )
    if organisation_id:
        invalidate_scores_on_commit(organisation_id)


@receiver([post_save, post_delete], sender=ScoringConfig)
def config_changed(sender, instance, **kwargs):
    invalidate_scores_on_commit(instance.organisation_id)


@receiver(post_save, sender=Organisation)
def organisation_changed(sender, instance, **kwargs):
    invalidate_scores_on_commit(instance.pk)
