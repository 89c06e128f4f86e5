from django.urls import path

from . import views

app_name = "sampling"

urlpatterns = [
    path("", views.sample_index, name="index"),
    path("<int:pk>/", views.sample_batch, name="batch"),
]
