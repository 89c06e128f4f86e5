"""Public pages of surveys, reached by link without an account."""

app_name = "surveys_public"

urlpatterns: list = []
