"""Forms for the pages where a mentor keeps their own file up to date, in the mentor's words
("you", not "they"). The rules live in the services (``availability_services``,
``self_services``)."""

from typing import Any

from django import forms

from core.forms import Form
from schemes.mentors.forms import NOT_A_MENTEE, AvailabilityForm, UnavailableForm


class OwnAvailabilityForm(AvailabilityForm):
    """The weekly grid without capacity: a mentor asks for a change of capacity instead."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["capacity"]
        self.fields["slots"].label = "When you are usually free"


class OwnUnavailableForm(UnavailableForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].help_text = "The last day you are away."
        self.fields["reason"].help_text = "For example “Exams”. Your coordinator sees this."


class ContactForm(Form):
    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address, like name@example.com"},
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=30,
        required=False,
        help_text="For example 07700 900123.",
    )


class CapacityRequestForm(Form):
    requested = forms.IntegerField(
        label="How many mentees could you have at one time?",
        min_value=1,
        max_value=20,
        error_messages={
            "required": "Enter how many mentees you could have at one time",
            "min_value": "Ask for 1 mentee or more",
            "max_value": "Ask for 20 mentees or fewer",
            "invalid": "Enter a number, like 2",
        },
    )
    reason = forms.CharField(
        label="Why (optional)",
        max_length=200,
        required=False,
        help_text="A few words for your coordinator, for example “Exams are over”.",
    )


class ReflectionForm(Form):
    text = forms.CharField(
        label="Your reflection",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What went well, what worried you, what you want to talk about. " + NOT_A_MENTEE,
        error_messages={"required": "Write your reflection"},
    )
    shared = forms.BooleanField(
        label="Share with my coordinator",
        required=False,
        help_text="Unticked, only you can read it.",
    )


class CapacityDecisionForm(Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("decline", "Decline")])
