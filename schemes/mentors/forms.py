"""Forms for the mentor pages. They check types and required fields; the rules (dates in
order, vetting valid, allowed steps) live in the services, whose errors these forms show next
to the field they are about (``core.forms.show_service_errors``)."""

import datetime
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from core.forms import Form, up_to_today
from schemes.models import AvailabilitySlot, DBSCheck, Mentor, Scheme

#: These notes are about the mentor and are kept when a mentee's record is erased
#: (``privacy.anonymise.ABOUT_OTHERS``), so they must not name one.
NOT_A_MENTEE = "Refer to a mentee by their reference (such as T0012345), never by name."

NO_NAME_HELP = "The record came without this name (imported by reference): add it if you know it."


class DateInput(forms.DateInput):
    """The phone's own date picker."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


ISSUED = up_to_today("The issue date cannot be in the future")


def _date(label: str, *, required: bool = True, today: bool = False, **kw: Any) -> forms.Field:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        initial=timezone.localdate if today else None,
        **kw,
    )


class WordListField(forms.CharField):
    """Comma-separated words in the form, a list in the file."""

    def prepare_value(self, value: object) -> object:
        if isinstance(value, list):
            return ", ".join(value)
        return value

    # A field's to_python may return any type (Field's does); the stubs pin CharField's to str.
    def to_python(self, value: object) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""  # "" unless empty_value is changed, never here
        return [word.strip() for word in text.split(",") if word.strip()]

    def run_validators(self, value: Any) -> None:
        """A text field's checks (no null character, which PostgreSQL cannot store) on each
        word: on the list itself they would read its repr, where a null is an escape."""
        for word in value:
            super().run_validators(word)


class MentorProfileForm(Form):
    """A mentor's profile. The names are asked for; ``names_optional`` are those a mentor's
    record has never held (imported by reference only), which may stay blank on an edit."""

    given_name = forms.CharField(max_length=80)
    family_name = forms.CharField(max_length=80)
    kind = forms.ChoiceField(label="Kind of mentor", choices=Mentor.Kind.choices)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=30, required=False)
    home_area = forms.CharField(
        label="Home area",
        max_length=60,
        required=False,
        help_text="The first half of their postcode, for example LS6.",
    )
    travel_km = forms.IntegerField(
        label="How far they can travel (km)", required=False, min_value=0, max_value=500
    )
    languages = WordListField(required=False, help_text="Separate with commas.")
    interests = WordListField(required=False, help_text="Separate with commas.")
    skills = WordListField(
        required=False, help_text="Separate with commas, for example: housing, benefits, CVs."
    )
    gender_self_description = forms.CharField(
        label="Gender (optional, self-described)",
        max_length=60,
        required=False,
        help_text="Only if they want to say, in their own words. Used only when a mentee asks.",
    )
    ethnicity_self_description = forms.CharField(
        label="Ethnicity (optional, self-described)",
        max_length=60,
        required=False,
        help_text="Only if they want to say, in their own words. Used only when a mentee asks.",
    )

    def __init__(self, *args: Any, names_optional: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in names_optional:
            self.fields[name].required = False
            self.fields[name].help_text = NO_NAME_HELP


class MentorCreateForm(MentorProfileForm):
    scheme = forms.ModelChoiceField(queryset=Scheme.objects.none(), empty_label=None)
    applied_on = _date(
        "Date of application",
        today=True,
        validators=[up_to_today("The application date cannot be in the future")],
    )
    field_order = ["scheme", "given_name", "family_name", "applied_on"]

    def __init__(self, *args: Any, schemes: QuerySet[Scheme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["scheme"]).queryset = schemes


class StatusForm(Form):
    to_status = forms.ChoiceField(
        label="Move to",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the step to move to",
            "invalid_choice": "Choose one of the steps listed",
        },
    )
    on = _date(
        "Date of the change",
        today=True,
        validators=[up_to_today("The date of the change cannot be in the future")],
    )
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NOT_A_MENTEE,
    )

    def __init__(self, *args: Any, mentor: Mentor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(s.value, s.label) for s in mentor.next_statuses]
        cast(forms.ChoiceField, self.fields["to_status"]).choices = choices


class DBSCheckForm(Form):
    level = forms.ChoiceField(
        choices=[("", "Choose a level…"), *DBSCheck.Level.choices],
        error_messages={"required": "Select the level of the DBS check"},
    )
    issued_on = _date("Issue date", validators=[ISSUED])
    expires_on = _date(
        "Expiry date", help_text="Your scheme's renewal date: the first day it no longer counts."
    )


class ClearanceForm(Form):
    establishment = forms.CharField(
        label="Prison", max_length=120, help_text="For example HMP Leeds."
    )
    issued_on = _date("Issue date", validators=[ISSUED])
    expires_on = _date("Expiry date", help_text="The first day it no longer counts.")


class TrainingForm(Form):
    module = forms.CharField(label="Training module", max_length=120)
    completed_on = _date(
        "Completed on",
        today=True,
        validators=[up_to_today("The completion date cannot be in the future")],
    )


class ReferenceForm(Form):
    referee = forms.CharField(
        max_length=120, help_text="Who gave it, for example “Employer” or “Tutor”."
    )
    received_on = _date(
        "Received on",
        today=True,
        validators=[up_to_today("The date received cannot be in the future")],
    )
    satisfactory = forms.TypedChoiceField(
        label="Satisfactory?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


SLOT_CHOICES = [
    (f"{day.value}-{part.value}", f"{day.label} {part.label.lower()}")
    for day in AvailabilitySlot.Weekday
    for part in AvailabilitySlot.Part
]


class AvailabilityForm(Form):
    slots = forms.MultipleChoiceField(
        label="Usually free",
        choices=SLOT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "btn-check", "autocomplete": "off"}),
    )
    capacity = forms.IntegerField(
        label="Capacity",
        min_value=1,
        max_value=20,
        help_text="The most mentees they can have at one time.",
        error_messages={
            "required": "Enter the most mentees they can have at one time",
            "min_value": "Capacity must be 1 or more",
        },
    )

    def clean_slots(self) -> list[tuple[int, str]]:
        return [
            (int(day), part) for day, part in (s.split("-") for s in self.cleaned_data["slots"])
        ]

    def week(self) -> list[tuple[str, list[tuple[forms.boundfield.BoundWidget, str]]]]:
        """The checkboxes grouped by day, each with its part of the day, for a grid that
        fits a phone."""
        boxes = list(self["slots"])
        parts = [part.label for part in AvailabilitySlot.Part]
        return [
            (day.label, list(zip(boxes[i * len(parts) : (i + 1) * len(parts)], parts, strict=True)))
            for i, day in enumerate(AvailabilitySlot.Weekday)
        ]


class UnavailableForm(Form):
    starts_on = _date("From")
    ends_on = _date("Until", help_text="The last day they are away.")
    reason = forms.CharField(
        max_length=120, required=False, help_text="For example “University vacation”."
    )


class SupervisionForm(Form):
    held_on = _date(
        "Date of the session",
        today=True,
        validators=[up_to_today("The date of the session cannot be in the future")],
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Seen only by the scheme's coordinators and managers, never by the mentor. "
        + NOT_A_MENTEE,
    )
    next_due_on = _date("Next session due", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["next_due_on"].initial = timezone.localdate() + datetime.timedelta(weeks=6)
