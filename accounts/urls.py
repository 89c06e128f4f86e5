from django.urls import path

from .views import account, password

app_name = "accounts"

urlpatterns = [
    path("", account.account, name="account"),
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
