"""Public pages of observations, reached by link without an account."""

app_name = "observations_public"

urlpatterns: list = []
