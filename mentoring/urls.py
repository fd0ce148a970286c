from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import auth_views as account_views
from accounts.forms import LoginForm
from core import views as core_views

admin.site.site_header = "Tandem administration"
admin.site.site_title = "Tandem admin"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/second-factor/", include("accounts.second_factor.urls")),
    path(
        "accounts/password/change/",
        account_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        account_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/sessions/", account_views.sessions_list, name="sessions"),
    path(
        "accounts/sessions/sign-out-others/",
        account_views.sessions_sign_out_others,
        name="sessions_sign_out_others",
    ),
    path("", include("core.urls")),
    path("", include("home.urls")),
    path("people/", include("accounts.urls")),
    path("schemes/", include("schemes.urls")),
    path("mentees/", include("mentees.urls")),
    path("mentors/", include("schemes.mentors.urls")),
    path("", include("relationships.urls")),
    path("flags/", include("flags.urls")),
    path("concerns/", include("concerns.urls")),
    path("privacy/", include("privacy.urls")),
    path("reports/", include("reports.urls")),
    path("audit/", include("audit.urls")),
    path("admin/", admin.site.urls),
]
