"""Photos attached to an answer as evidence: up to three per answer of a checklist (by its
manager) or of a mystery-shop test (by the shopper). Stored through Django's storage API
(``STORAGES["default"]``), never served as public media: ``photos.views`` streams each one to
those who may see the evidence it belongs to."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from asiakaskunto.models import Organisation, Question

MAX_PHOTOS_PER_ANSWER = 3


def new_photo_name(organisation_id) -> str:
    """An unguessable name under the organisation's folder (no part of the original name)."""
    return f"evidence/{organisation_id}/{uuid.uuid4().hex}"


class EvidencePhotoQuerySet(models.QuerySet):
    def of_checklists(self, checklists):
        return self.filter(checklist__in=checklists)

    def in_order(self):
        return self.order_by("question_id", "created_at", "id")


class EvidencePhoto(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    # Exactly one of these: the checklist or the mystery-shop test whose answer it shows.
    checklist = models.ForeignKey(
        "observations.Checklist",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
    )
    mystery_test = models.ForeignKey(
        "observations.MysteryTest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
    )
    image = models.FileField(_("photo"), max_length=200)
    thumbnail = models.FileField(max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField(help_text=_("bytes as stored"))
    # Empty for a shopper (no account) and once the uploader's account is gone.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EvidencePhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence photo")
        verbose_name_plural = _("evidence photos")
        constraints = [
            models.CheckConstraint(
                condition=Q(checklist__isnull=False, mystery_test__isnull=True)
                | Q(checklist__isnull=True, mystery_test__isnull=False),
                name="evidence_photo_has_one_source",
            )
        ]
        indexes = [
            models.Index(fields=["checklist", "question"], name="photo_checklist_question"),
            models.Index(fields=["mystery_test", "question"], name="photo_test_question"),
        ]

    def __str__(self):
        return self.image.name

    def get_absolute_url(self):
        return reverse("photos:photo", args=[self.pk])

    @property
    def thumbnail_url(self) -> str:
        return reverse("photos:thumbnail", args=[self.pk])
