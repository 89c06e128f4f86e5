from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from asiakaskunto.models import Organisation


class ScoringConfig(models.Model):
    """An organisation's changes to the scoring rules, as ``ScoringSettings.to_dict()`` JSON.

    Missing keys mean the product defaults of DESIGN.md; the target level is
    ``Organisation.target_level`` (one place), never stored here.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="scoring_config"
    )
    values = models.JSONField(_("scoring settings"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("scoring settings")
        verbose_name_plural = _("scoring settings")

    def __str__(self):
        return str(self.organisation)
