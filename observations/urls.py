from django.urls import path

from .views import checklists, mystery

app_name = "observations"

urlpatterns = [
    path("", checklists.checklist_list, name="checklist_list"),
    path("new/", checklists.checklist_create, name="checklist_create"),
    path("<int:pk>/", checklists.checklist_detail, name="checklist_detail"),
    path("<int:pk>/edit/", checklists.checklist_edit, name="checklist_edit"),
    path("<int:pk>/delete/", checklists.checklist_delete, name="checklist_delete"),
    path("salespeople/<int:pk>/", checklists.salesperson_history, name="salesperson_history"),
    path("mystery/", mystery.plan_list, name="plan_list"),
    path("mystery/new/", mystery.plan_create, name="plan_create"),
    path("mystery/<int:pk>/", mystery.plan_detail, name="plan_detail"),
    path("mystery/<int:pk>/send/", mystery.plan_send, name="plan_send"),
    path("mystery/<int:pk>/cancel/", mystery.plan_cancel, name="plan_cancel"),
]
