from django.urls import path

from . import views

app_name = "photos"

urlpatterns = [
    path("<int:pk>/", views.photo, name="photo"),
    path("<int:pk>/thumbnail/", views.thumbnail, name="thumbnail"),
]
