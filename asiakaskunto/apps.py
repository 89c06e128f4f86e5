from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AsiakaskuntoConfig(AppConfig):
    name = "asiakaskunto"
    verbose_name = _("Organisation")
