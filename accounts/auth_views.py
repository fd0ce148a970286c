"""Django's password pages, each telling ``accounts.auth_services`` what happened, and the
"Your sessions" page."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts import auth_services
from accounts.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from accounts.http import AuthedRequest
from accounts.middleware import duration_words
from accounts.selectors import session_limits_for, signed_in_sessions
from accounts.session_services import sessions_end_others


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm

    def form_valid(self, form: Any) -> HttpResponse:
        old_key = self.request.session.session_key
        response = super().form_valid(form)  # saves, and gives this session a new key
        auth_services.password_changed(
            request=self.request, user=form.user, old_session_key=old_key
        )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm

    def form_valid(self, form: Any) -> HttpResponse:
        auth_services.password_reset_requested(
            request=self.request, email=form.cleaned_data["email"]
        )
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        auth_services.password_reset_completed(request=self.request, user=form.user)
        return response


@login_required
def sessions_list(request: AuthedRequest) -> HttpResponse:
    sessions = list(signed_in_sessions(request.user))
    current = request.session.session_key
    limits = session_limits_for(request.user)
    return render(
        request,
        "accounts/sessions.html",
        {
            "this_session": next((s for s in sessions if s.session_key == current), None),
            "other_sessions": [s for s in sessions if s.session_key != current],
            "idle_words": duration_words(limits.idle),
            "absolute_words": duration_words(limits.absolute),
        },
    )


@login_required
@require_POST
def sessions_sign_out_others(request: AuthedRequest) -> HttpResponse:
    ended = sessions_end_others(request=request, user=request.user)
    if ended:
        messages.success(
            request,
            f"You have been signed out everywhere else ({ended} "
            f"session{'s' if ended != 1 else ''}).",
        )
    else:
        messages.info(request, "You were not signed in anywhere else.")
    return redirect("sessions")
