"""Public pages of surveys, reached by link without an account."""

from django.urls import path, re_path

from .views import public

app_name = "surveys_public"

TOKEN = r"(?P<token>[A-Za-z0-9_-]{20,64})"

urlpatterns = [
    path("thanks/", public.thanks, name="thanks"),
    re_path(rf"^i/{TOKEN}/$", public.survey_by_invitation, name="invitation"),
    re_path(rf"^{TOKEN}/$", public.survey_by_link, name="link"),
]
