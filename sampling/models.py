"""A random sample of recent customers: one upload of a purchase list, the draw made from it
(with its seed, so that it can be repeated and checked) and the rule it followed. The drawn
customers are ordinary survey invitations (``surveys.Invitation.sample_batch``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from asiakaskunto.models import Organisation

MAX_PER_SALESPERSON = 50
MAX_QUIET_DAYS = 365


class SampleBatchQuerySet(models.QuerySet):
    def for_teams(self, teams):
        """Batches that drew at least one customer of these teams."""
        return self.filter(invitations__team__in=teams).distinct()


class SampleBatch(models.Model):
    """One draw: N customers at random per salesperson from an uploaded list of purchases,
    leaving out those asked within ``quiet_days``."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="sample_batches"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    seed = models.PositiveBigIntegerField(_("seed of the draw"))
    per_salesperson = models.PositiveSmallIntegerField(_("customers per salesperson"))
    quiet_days = models.PositiveSmallIntegerField(_("not the same customer again within (days)"))
    language = models.CharField(_("language"), max_length=5, default="fi")
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    rows_read = models.PositiveIntegerField(_("rows"), default=0)
    customers = models.PositiveIntegerField(_("different customers"), default=0)
    asked_recently = models.PositiveIntegerField(_("left out: asked recently"), default=0)
    drawn = models.PositiveIntegerField(_("drawn"), default=0)

    objects = SampleBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer sample")
        verbose_name_plural = _("customer samples")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    per_salesperson__gte=1, per_salesperson__lte=MAX_PER_SALESPERSON
                ),
                name="sample_batch_per_salesperson_range",
            ),
            models.CheckConstraint(
                condition=models.Q(quiet_days__lte=MAX_QUIET_DAYS),
                name="sample_batch_quiet_days_range",
            ),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} ({self.drawn})"
