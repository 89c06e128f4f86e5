from django.urls import path

from .views import account, password, two_factor

app_name = "accounts"

urlpatterns = [
    path("", account.account, name="account"),
    path("two-factor/", two_factor.overview, name="two_factor"),
    path("two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path("two-factor/remove/", two_factor.remove, name="two_factor_remove"),
    path("password/", password.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", password.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        password.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<token:uidb64>/<token:token>/",
        password.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        password.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
