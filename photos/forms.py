"""The photo inputs of a questionnaire: ``photos_<question id>`` (several images in one file
input) and ``remove_photo_<photo id>`` for those already attached."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .images import ImageRejected, clean_image, max_upload_bytes, megabytes
from .models import MAX_PHOTOS_PER_ANSWER
from .services import PhotoChanges


class MultipleImageInput(forms.FileInput):
    """A file input that takes several images; a phone offers its camera or its gallery."""

    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__({"accept": "image/*", "multiple": True, **(attrs or {})})


class PhotosField(forms.Field):
    """Up to MAX_PHOTOS_PER_ANSWER images; cleans to a list of ``images.CleanImage``."""

    widget = MultipleImageInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def clean(self, data):
        files = [upload for upload in (data or []) if upload]
        if len(files) > MAX_PHOTOS_PER_ANSWER:
            raise forms.ValidationError(
                ngettext(
                    "Attach at most %(count)d photo to an answer.",
                    "Attach at most %(count)d photos to an answer.",
                    MAX_PHOTOS_PER_ANSWER,
                )
                % {"count": MAX_PHOTOS_PER_ANSWER}
            )
        images, errors = [], []
        for upload in files:
            try:
                images.append(clean_image(upload))
            except ImageRejected as rejected:
                errors.append(f"{upload.name}: {rejected}")
        if errors:
            raise forms.ValidationError(errors)
        return images


class PhotoFieldsMixin:
    """For a form with ``questions``: a photo input per question, a remove checkbox per
    attached photo, the limit per answer checked together, and ``photo_changes()``."""

    photo_help = _(
        "Optional: up to %(count)d photos, each at most %(size)s MB. Location and other "
        "metadata are removed. If the form shows an error, choose the photos again."
    )

    def add_photo_fields(self, questions, existing=None):
        """``existing``: {question id: [EvidencePhoto]} already attached."""
        self.existing_photos = existing or {}
        for question in questions:
            self.fields[f"photos_{question.pk}"] = PhotosField(
                label=_("Photos"),
                help_text=self.photo_help
                % {"count": MAX_PHOTOS_PER_ANSWER, "size": megabytes(max_upload_bytes())},
            )
            for photo in self.existing_photos.get(question.pk, []):
                self.fields[f"remove_photo_{photo.pk}"] = forms.BooleanField(
                    label=_("Remove"), required=False
                )
        self.photo_questions = list(questions)

    def photo_rows(self, question):
        """(photo input, [(photo, remove checkbox)]) of one question, for the template."""
        name = f"photos_{question.pk}"
        if name not in self.fields:
            return None
        kept = [
            (photo, self[f"remove_photo_{photo.pk}"])
            for photo in self.existing_photos.get(question.pk, [])
        ]
        return self[name], kept

    def photo_counts(self) -> dict[int, int]:
        """Photos each question will have after this post (kept + new); call after cleaning."""
        counts = {}
        for question in self.photo_questions:
            kept = [
                photo
                for photo in self.existing_photos.get(question.pk, [])
                if not self.cleaned_data.get(f"remove_photo_{photo.pk}")
            ]
            counts[question.pk] = len(kept) + len(
                self.cleaned_data.get(f"photos_{question.pk}") or []
            )
        return counts

    def check_photos(self, *, answered_ids=None):
        """The limit per answer; with ``answered_ids``, photos only beside an answer."""
        for question_id, count in self.photo_counts().items():
            name = f"photos_{question_id}"
            if name in self.errors:
                continue
            if count > MAX_PHOTOS_PER_ANSWER:
                self.add_error(
                    name,
                    ngettext(
                        "Attach at most %(count)d photo to an answer.",
                        "Attach at most %(count)d photos to an answer.",
                        MAX_PHOTOS_PER_ANSWER,
                    )
                    % {"count": MAX_PHOTOS_PER_ANSWER},
                )
            elif count and answered_ids is not None and question_id not in answered_ids:
                self.add_error(name, _("Answer the question, or remove its photos."))

    def answered_ids(self) -> set[int]:
        """The questions answered in this post (a questionnaire's ``q_<id>`` fields)."""
        return {
            question.pk
            for question in self.photo_questions
            if self.cleaned_data.get(f"q_{question.pk}") is not None
        }

    def photo_changes(self) -> PhotoChanges:
        return PhotoChanges(
            added={
                question.pk: images
                for question in self.photo_questions
                if (images := self.cleaned_data.get(f"photos_{question.pk}"))
            },
            removed=[
                photo.pk
                for photos in self.existing_photos.values()
                for photo in photos
                if self.cleaned_data.get(f"remove_photo_{photo.pk}")
            ],
        )
