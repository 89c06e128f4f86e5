from django.urls import path

from .views import dashboards, settings

app_name = "reports"

urlpatterns = [
    path("settings/", settings.scoring_settings, name="settings"),
    # dashboards
    path("", dashboards.dashboard, name="dashboard"),
    path("target-level/", dashboards.set_target_level, name="target_level"),
    path("teams/<int:pk>/", dashboards.team_dashboard, name="team_dashboard"),
]
