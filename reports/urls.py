from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("settings/", views.scoring_settings, name="settings"),
]
