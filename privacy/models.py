"""Each organisation's retention settings: how long customers' contact details, free texts and
answers are kept (``privacy.retention`` erases what is older, daily)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from asiakaskunto.models import Organisation

CUSTOMER_DATA_MONTHS = (1, 120)
ANSWERS_MONTHS = (12, 240)  # at least the scoring window: fewer would change today's grades


class RetentionSettings(models.Model):
    """Missing row: the defaults (customer data 12 months, answers kept)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="retention_settings"
    )
    customer_data_months = models.PositiveSmallIntegerField(
        _("customers' contact details and free texts are kept (months)"),
        default=12,
        validators=[
            MinValueValidator(CUSTOMER_DATA_MONTHS[0]),
            MaxValueValidator(CUSTOMER_DATA_MONTHS[1]),
        ],
        help_text=_("After this the contact a customer left and every text they wrote are erased."),
    )
    answers_months = models.PositiveSmallIntegerField(
        _("answers are kept (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(ANSWERS_MONTHS[0]), MaxValueValidator(ANSWERS_MONTHS[1])],
        help_text=_(
            "Empty: kept. Older answers of every method are deleted, with their checklists and "
            "mystery-shop tests; grades and trends lose them."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("retention settings")
        verbose_name_plural = _("retention settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    customer_data_months__gte=CUSTOMER_DATA_MONTHS[0],
                    customer_data_months__lte=CUSTOMER_DATA_MONTHS[1],
                ),
                name="retention_customer_data_months_in_range",
            ),
            models.CheckConstraint(
                condition=Q(answers_months__isnull=True)
                | Q(answers_months__gte=ANSWERS_MONTHS[0], answers_months__lte=ANSWERS_MONTHS[1]),
                name="retention_answers_months_in_range",
            ),
        ]

    def __str__(self):
        return str(self.organisation)
