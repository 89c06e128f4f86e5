from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from . import bank_views, email_views, views
from .converters import TokenConverter
from .forms import LoginForm

# Public links take their token through this converter ("<token:token>"): registered before
# the includes below import the patterns that use it.
register_converter(TokenConverter, "token")

urlpatterns = [
    # Public pages without an account: customers (s/) and mystery shoppers (m/). First, as
    # the busiest: every customer's answer is resolved without trying the staff patterns.
    path("s/", include("surveys.public_urls")),
    path("m/", include("observations.public_urls")),
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/email/", email_views.email_settings, name="email_settings"),
    path(
        "account/email/unsubscribe/<token:token>/",
        email_views.email_unsubscribe,
        name="email_unsubscribe",
    ),
    path("questions/", bank_views.question_bank, name="question_bank"),
    path("questions/new/", bank_views.question_create, name="question_create"),
    path("questions/<int:pk>/", bank_views.question_edit, name="question_edit"),
    path("questions/<int:pk>/active/", bank_views.question_active, name="question_active"),
    path("questions/<int:pk>/move/", bank_views.question_move, name="question_move"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("observations/", include("observations.urls")),
    path("photos/", include("photos.urls")),
    path("surveys/", include("surveys.urls")),
    path("interviews/", include("interviews.urls")),
    path("sampling/", include("sampling.urls")),
    path("reports/", include("reports.urls")),
    path("coaching/", include("coaching.urls")),
    path("privacy/", include("privacy.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "asiakaskunto.views.server_error"
