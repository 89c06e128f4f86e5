"""A deleted photo's files leave the storage once the deletion commits (a rolled-back
deletion keeps them). This runs for every way a row goes: one photo, a checklist or test
deleted with its photos, an erasure or a retention run."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import EvidencePhoto


def delete_files(names, storage):
    for name in names:
        if name:
            storage.delete(name)


@receiver(post_delete, sender=EvidencePhoto)
def remove_files(sender, instance, **kwargs):
    names = [instance.image.name, instance.thumbnail.name]
    storage = instance.image.storage
    transaction.on_commit(lambda: delete_files(names, storage))
