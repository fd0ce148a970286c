from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import QuerySet
from django.template import loader

from accounts.models import Role, User, normalise_email
from core.forms import Form, PlainWords
from core.mail import email_later
from schemes.models import Scheme


class MembershipForm(Form):
    # No role is preselected: a hurried submit must never make someone a manager, who sees
    # every mentee in every scheme.
    role = forms.ChoiceField(
        choices=[("", "Choose a role…"), *Role.choices],
        error_messages={"required": "Select a role"},
        help_text="Mentors see only the people they are matched with; coordinators see their "
        "scheme; managers see every scheme.",
    )
    # Needed for every role but manager: said in the label, so not marked "(optional)".
    unmarked = frozenset({"scheme"})

    scheme = forms.ModelChoiceField(
        queryset=Scheme.objects.none(),
        required=False,
        label="Scheme (not needed for managers)",
        empty_label="Choose a scheme…",
        help_text="Managers see every scheme.",
    )

    def __init__(self, *args: Any, schemes: QuerySet[Scheme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["scheme"]).queryset = schemes

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns, and never None
        if data.get("role") and data["role"] != Role.MANAGER and not data.get("scheme"):
            self.add_error("scheme", "Choose the scheme this role is for")
        return data


class InviteForm(MembershipForm):
    full_name = forms.CharField(
        max_length=150, error_messages={"required": "Enter their full name"}
    )
    email = forms.EmailField(error_messages={"required": "Enter their email address"})
    field_order = ["full_name", "email", "role", "scheme"]


def login_username(request: object, credentials: dict[str, str] | None) -> str:
    """The account a login attempt is counted against: the email as typed, normalised, so
    'Cat@Example.org', 'cat@example.org' and a look-alike spelling share one failure count.

    django-axes checks for a lock with the credentials under ``AXES_USERNAME_FORM_FIELD``
    (the user model's ``email``) and counts a failure with Django's, under ``username``: both
    keys are read, so the check and the count name the same account."""
    typed = ""
    if credentials:
        field = str(getattr(settings, "AXES_USERNAME_FORM_FIELD", "email"))
        typed = str(credentials.get(field) or credentials.get("username") or "")
    if not typed:
        data = getattr(request, "POST", {}) or {}
        typed = str(data.get("username", ""))
    email = normalise_email(typed)
    # The login finds the account case-insensitively in the database, which folds some
    # letters normalising does not (a dotless i, U+0131, matches "i"): count against the account
    # that login would open, under the email it holds, so no spelling has a count of its own.
    stored = User.objects.filter(email__iexact=email).values_list("email", flat=True).first()
    return normalise_email(stored) if stored else email


class LoginForm(PlainWords, AuthenticationForm):
    field_words = {
        "username": {"required": "Enter your email address"},
        "password": {"required": "Enter your password"},
    }
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email address and password don't match an account. "
        "Check them and try again, or reset your password",
    }


class PasswordResetForm(PlainWords, auth_forms.PasswordResetForm):
    """Django skips accounts without a usable password when sending reset links. In Tandem
    those are people who were invited and have not set one yet (perhaps their link expired),
    so they must be able to ask for a new link too."""

    field_words = {"email": {"required": "Enter your email address"}}

    def get_users(self, email: str) -> list[User]:
        return list(User.objects.filter(email__iexact=normalise_email(email), is_active=True))

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """The reset (or invitation) link leaves through the worker like every email, never
        from inside the request that asked for it."""
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        email_later(to=[to_email], subject=subject, body=body)


MISMATCH_WORDS = "The new passwords do not match: type the same one in both boxes"


class SetPasswordForm(PlainWords, auth_forms.SetPasswordForm):
    """Choosing a new password from a reset link, in the same words as every other form."""

    field_words = {
        "new_password1": {"required": "Enter a new password"},
        "new_password2": {"required": "Enter the new password again"},
    }

    error_messages = {
        **auth_forms.SetPasswordForm.error_messages,
        "password_mismatch": MISMATCH_WORDS,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password2"].label = "New password again"


class PasswordChangeForm(PlainWords, auth_forms.PasswordChangeForm):
    """Changing one's password, in the same words as every other form."""

    field_words = {
        "old_password": {"required": "Enter your current password"},
        "new_password1": {"required": "Enter a new password"},
        "new_password2": {"required": "Enter the new password again"},
    }

    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_mismatch": MISMATCH_WORDS,
        "password_incorrect": "Your current password is not right: type it again",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["new_password2"].label = "New password again"
