from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal data: a salesperson's export and erasure, a customer's erasure by contact,
    retention per organisation. Each app says what it holds in its own ``privacy.py``."""

    name = "privacy"
    verbose_name = _("Personal data")

    def ready(self):
        # Every installed app's privacy.py registers its part (see privacy.registry), in the
        # order of INSTALLED_APPS.
        autodiscover_modules("privacy")
        # The organisation admins' group needs every app's permissions, which each app's own
        # post_migrate creates: this app is the last installed, so its signal comes after them.
        from asiakaskunto.admin_scope import ensure_organisation_admins_group

        post_migrate.connect(ensure_organisation_admins_group, sender=self)
