"""Public pages of observations, reached by link without an account."""

from django.urls import path

from .views import public

app_name = "observations_public"

urlpatterns = [
    path("thanks/", public.thanks, name="thanks"),
    path("<token:token>/", public.mystery_form, name="mystery_form"),
]
