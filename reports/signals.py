"""New or changed evidence and settings make the stored results stale (``mark_stale``).

New evidence (a checklist, test, survey or interview) is written by
``asiakaskunto.evidence.record_submission``, in bulk and without signals: it marks the results
stale itself. Evidence changed afterwards (a correction of a submitted checklist, an erasure)
saves or deletes its Submission in the same transaction, so the Submission's signal is the one
to listen to. Code that changes answers without saving their Submission must call
``reports.results_cache.mark_stale_on_commit`` itself."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from asiakaskunto.models import Organisation, Submission

from .models import ScoringConfig
from .results_cache import mark_stale_on_commit


@receiver([post_save, post_delete], sender=Submission)
def submission_changed(sender, instance, **kwargs):
    mark_stale_on_commit(instance.organisation_id)


@receiver([post_save, post_delete], sender=ScoringConfig)
def config_changed(sender, instance, **kwargs):
    mark_stale_on_commit(instance.organisation_id)


@receiver(post_save, sender=Organisation)
def organisation_changed(sender, instance, **kwargs):
    mark_stale_on_commit(instance.pk)
