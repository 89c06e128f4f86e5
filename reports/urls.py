from django.urls import path

from .views import person, settings

app_name = "reports"

urlpatterns = [
    path("settings/", settings.scoring_settings, name="settings"),
    # salesperson pages and exports
    path("people/<int:pk>/", person.person, name="person"),
]
