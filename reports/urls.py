from django.urls import path

from .views import dashboards, exports, person, settings

app_name = "reports"

urlpatterns = [
    path("settings/", settings.scoring_settings, name="settings"),
    # dashboards
    path("", dashboards.dashboard, name="dashboard"),
    path("target-level/", dashboards.set_target_level, name="target_level"),
    path("teams/<int:pk>/", dashboards.team_dashboard, name="team_dashboard"),
    # salesperson pages and exports
    path("people/<int:pk>/", person.person, name="person"),
    path("exports/", exports.exports, name="exports"),
    path("exports/answers.csv", exports.answers_csv, name="export_answers_csv"),
    path("exports/answers.xlsx", exports.answers_xlsx, name="export_answers_xlsx"),
    path("exports/grades.csv", exports.grades_csv, name="export_grades_csv"),
    path("exports/grades.xlsx", exports.grades_xlsx, name="export_grades_xlsx"),
]
