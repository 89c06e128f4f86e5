from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhotosConfig(AppConfig):
    name = "photos"
    verbose_name = _("Photos as evidence")

    def ready(self):
        from . import signals  # noqa: F401  (a deleted photo's files leave the storage)
