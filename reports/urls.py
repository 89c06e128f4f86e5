from django.urls import path

from .views import settings

app_name = "reports"

urlpatterns = [
    path("settings/", settings.scoring_settings, name="settings"),
]
