from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms

from accounts.second_factor.services import ResetReason
from core.forms import Form

# What a phone's keyboard should offer, and what password managers should fill in.
CODE_WIDGET = forms.TextInput(
    attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
)


class EnrolForm(Form):
    """The first code from the app just set up: proof that it holds the key."""

    code = forms.CharField(
        label="Code from the app",
        max_length=20,
        widget=CODE_WIDGET,
        help_text="The 6 numbers the app shows for Tandem.",
        error_messages={"required": "Enter the 6-number code from the app"},
    )


class VerifyForm(Form):
    """A code after the password: six numbers from the app, or a recovery code."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
        help_text="The 6 numbers your authenticator app shows for Tandem. Lost your phone? "
        "Type one of your recovery codes instead.",
        error_messages={"required": "Enter the code from your authenticator app"},
    )


class ResetForm(Form):
    """A manager's reset of someone's lost second factor: a reason from a list (the audit
    keeps it) and a tick to say they checked it is really that person asking."""

    reason = forms.ChoiceField(
        label="Why are you resetting it?",
        choices=ResetReason.choices,
        error_messages={"required": "Select why the second factor is being reset"},
    )
    confirmed = forms.BooleanField(
        label="I have checked that this request really comes from this person",
        help_text="For example, by calling them on a number you already hold.",
        error_messages={"required": "Confirm that you have checked who is asking"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "reason", Field("confirmed", template="accounts/_checkbox_hint_after.html")
        )
