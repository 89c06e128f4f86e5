from django.urls import path

from .views import checklist_templates, checklists, mystery, programme, reviews

app_name = "observations"

urlpatterns = [
    path("", checklists.checklist_list, name="checklist_list"),
    path("new/", checklists.checklist_create, name="checklist_create"),
    path("<int:pk>/", checklists.checklist_detail, name="checklist_detail"),
    path("<int:pk>/edit/", checklists.checklist_edit, name="checklist_edit"),
    path("<int:pk>/delete/", checklists.checklist_delete, name="checklist_delete"),
    path("salespeople/<int:pk>/", checklists.salesperson_history, name="salesperson_history"),
    path("templates/", checklist_templates.template_list, name="template_list"),
    path("templates/new/", checklist_templates.template_create, name="template_create"),
    path("templates/<int:pk>/edit/", checklist_templates.template_edit, name="template_edit"),
    path(
        "templates/<int:pk>/archive/", checklist_templates.template_archive, name="template_archive"
    ),
    path("templates/<int:pk>/delete/", checklist_templates.template_delete, name="template_delete"),
    path("mystery/", mystery.plan_list, name="plan_list"),
    path("mystery/new/", mystery.plan_create, name="plan_create"),
    path("mystery/<int:pk>/", mystery.plan_detail, name="plan_detail"),
    path("mystery/<int:pk>/send/", mystery.plan_send, name="plan_send"),
    path("mystery/<int:pk>/cancel/", mystery.plan_cancel, name="plan_cancel"),
    path("mystery/<int:pk>/review/", reviews.review_test, name="review_test"),
    path("mystery/reviews/", reviews.review_list, name="review_list"),
    path("mystery/programme/", programme.programme, name="programme"),
    path("mystery/programme/settings/", programme.programme_settings, name="programme_settings"),
    path("mystery/scenarios/new/", programme.scenario_create, name="scenario_create"),
    path("mystery/scenarios/<int:pk>/", programme.scenario_edit, name="scenario_edit"),
    path("mystery/schedules/new/", programme.schedule_create, name="schedule_create"),
    path("mystery/schedules/<int:pk>/", programme.schedule_edit, name="schedule_edit"),
]
