from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AsiakaskuntoConfig(AppConfig):
    name = "asiakaskunto"
    verbose_name = _("Organisation")

    def ready(self):
        from . import links  # noqa: F401  (registers the deploy check of SITE_URL)
