from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def create_cache_table(using="default", **kwargs):
    """The shared cache's table (without Redis, ``asiakaskunto.cache.DatabaseCache``), made by
    ``migrate`` when it is missing: no separate ``createcachetable`` step to forget."""
    call_command("createcachetable", database=using, verbosity=0)


class AsiakaskuntoConfig(AppConfig):
    name = "asiakaskunto"
    verbose_name = _("Organisation")

    def ready(self):
        from . import links  # noqa: F401  (registers the deploy check of SITE_URL)
        from .models import Organisation
        from .questions import organisation_created

        post_migrate.connect(create_cache_table, sender=self)
        post_save.connect(
            organisation_created, sender=Organisation, dispatch_uid="organisation_question_bank"
        )
