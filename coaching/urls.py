from django.urls import path

from .views import plans, seasons

app_name = "coaching"

urlpatterns = [
    path("", plans.plan_list, name="plans"),
    path("people/<int:pk>/new/", plans.plan_new, name="plan_new"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan"),
    path("plans/<int:pk>/goals/new/", plans.goal_add, name="goal_add"),
    path("plans/<int:pk>/sessions/new/", plans.session_new, name="session_new"),
    path("plans/<int:pk>/acknowledge/", plans.plan_acknowledge, name="plan_acknowledge"),
    path("plans/<int:pk>/comment/", plans.plan_comment, name="plan_comment"),
    path("plans/<int:pk>/self-assessment/", plans.self_assessment, name="self_assessment"),
    path("goals/<int:pk>/edit/", plans.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/drop/", plans.goal_drop, name="goal_drop"),
    path("goals/<int:pk>/focus/", plans.goal_focus, name="goal_focus"),
    path("goals/<int:pk>/achieved/", plans.goal_confirm, name="goal_confirm"),
    path("seasons/", seasons.season_list, name="seasons"),
    path("seasons/<int:pk>/", seasons.season_detail, name="season"),
    path("seasons/<int:pk>/edit/", seasons.season_edit, name="season_edit"),
]
