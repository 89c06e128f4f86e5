from django.urls import path

from . import views

app_name = "interviews"

urlpatterns = [
    path("", views.interview_index, name="index"),
    path("salespeople/<int:pk>/", views.interview_new, name="new"),
    path("calls/<int:pk>/", views.interview_call, name="call"),
]
