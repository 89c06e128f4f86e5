"""Public pages of surveys, reached by link without an account."""

from django.urls import path

from .views import public

app_name = "surveys_public"

urlpatterns = [
    path("thanks/", public.thanks, name="thanks"),
    path("i/<token:token>/", public.survey_by_invitation, name="invitation"),
    path("<token:token>/", public.survey_by_link, name="link"),
]
