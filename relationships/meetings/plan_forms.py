"""Forms for planning a meeting: a date and a time (the phone's own pickers), how, and the
kind of place. They check what was typed; the rules (an open relationship, a time still to
come, who may cancel) are the services', whose refusals the forms show."""

import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.forms import Form
from relationships.meetings.plan_services import PLAN_IN_PAST, place_for
from relationships.models import Meeting, PlannedMeeting

PS = PlannedMeeting.Status


class _TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


class _When(Form):
    """A date and a time, read together as one moment still to come (``starts_at``)."""

    date = forms.DateField(
        label="Date of the meeting",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the date of the meeting",
            "invalid": "Enter the date of the meeting as a real date, like 27 3 2027",
        },
    )
    time = forms.TimeField(
        label="Time",
        widget=_TimeInput(),
        input_formats=["%H:%M", "%H:%M:%S", "%H.%M"],
        help_text="For example, 14:30",
        error_messages={
            "required": "Enter the time of the meeting, like 14:30",
            "invalid": "Enter the time of the meeting as hours and minutes, like 14:30",
        },
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        day, at = data.get("date"), data.get("time")
        if day is not None and at is not None:
            starts_at = timezone.make_aware(datetime.datetime.combine(day, at))
            if starts_at <= timezone.now():
                self.add_error("date", PLAN_IN_PAST)
            else:
                data["starts_at"] = starts_at
        return data

    @staticmethod
    def initial_for(starts_at: datetime.datetime) -> dict[str, Any]:
        local = timezone.localtime(starts_at)
        return {"date": local.date(), "time": local.time().replace(second=0, microsecond=0)}


class PlanForm(_When):
    """Plan a meeting: when, how, and the kind of place, never an address."""

    mode = forms.ChoiceField(
        label="How will you meet?",
        choices=Meeting.Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you will meet"},
    )
    place = forms.ChoiceField(
        label="Kind of place",
        choices=PlannedMeeting.Place.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=(
            "Only to meet face to face or at the prison gate: a phone, video or custody "
            "meeting says where it is. No addresses: only the kind of place."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Only the places to meet in person are offered (a call is the way of meeting, not a
        place); a call sent anyway is checked against the way, as ``place_for`` does."""
        super().__init__(*args, **kwargs)
        in_person = [c for c in PlannedMeeting.Place.choices if c[0] not in PlannedMeeting.CALLS]
        self.fields["place"].widget.choices = in_person

    def clean(self) -> dict[str, Any]:
        """The place follows from the way of meeting when that says it (phone: a phone call);
        a place that contradicts it, or none to meet in person, is refused (``place_for``)."""
        data = super().clean()
        mode = data.get("mode")
        if mode:
            try:
                data["place"] = place_for(mode, data.get("place") or "")
            except ValidationError as refused:
                self.add_error(None, refused)
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"starts_at": data["starts_at"], "mode": data["mode"], "place": data["place"]}


class PlanMoveForm(_When):
    """Move a plan to a new date and time, saying why if the mover wants to."""

    reason = forms.CharField(
        label="Why is it moving?",
        required=False,
        max_length=200,
        help_text="A few words, no names. For example: “Clashes with a job interview”.",
        error_messages={"max_length": "Keep the reason to 200 characters or fewer"},
    )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"starts_at": data["starts_at"], "reason": data["reason"]}


class PlanCancelForm(Form):
    """Cancel a plan ahead of its time: who called it off, and why in a few words."""

    cancelled_by = forms.ChoiceField(
        label="Who called it off?",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Select who called the meeting off"},
    )
    reason = forms.CharField(
        label="Why",
        max_length=200,
        help_text="A few words, no names. For example: “Job interview that day”.",
        error_messages={
            "required": "Enter why the meeting was called off, in a few words",
            "max_length": "Keep the reason to 200 characters or fewer",
        },
    )

    def __init__(self, *args: Any, mentee: str, by_coordinator: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (PS.CANCELLED_BY_MENTEE, mentee),
            (PS.CANCELLED_BY_MENTOR, "The mentor" if by_coordinator else "Me"),
        ]
        if by_coordinator:
            choices.append((PS.CANCELLED_BY_COORDINATOR, "Me (coordinator)"))
        cast(forms.ChoiceField, self.fields["cancelled_by"]).choices = choices

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise ValidationError(self.fields["reason"].error_messages["required"])
        return reason
