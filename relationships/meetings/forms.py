import uuid
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from concerns.models import Category, Urgency
from concerns.services import CATEGORY_MISSING
from core.forms import Form
from relationships.meetings.services import CLOCK_SLACK, MEETING_IN_FUTURE, meeting_time_problem
from relationships.models import Goal, Meeting, Party, Relationship

DURATIONS = [(15, "15 min"), (30, "30 min"), (45, "45 min"), (60, "1 hour"), (90, "1½ hours")]
OTHER = "other"


def _buttons() -> forms.RadioSelect:
    """Radio choices drawn as tap-sized buttons (Bootstrap's btn-check)."""
    return forms.RadioSelect(attrs={"class": "btn-check"})


def _now_local() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class GoalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Goal) -> str:
        return obj.title


class MeetingForm(Form):
    """Log a meeting in a few taps: choices are buttons, not drop-downs, and the date and time
    start at now. ``client_id`` is made when the form is first shown, so sending it twice is
    recognised as one meeting."""

    # A length is needed: a button, or the minutes typed beside them (``clean``).
    unmarked = frozenset({"duration", "duration_other", "concern_category", "concern_urgency"})
    # How far ahead of the clock a meeting may be, for the phone's own check with no signal.
    clock_slack_minutes = int(CLOCK_SLACK.total_seconds() // 60)

    client_id = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "This form has expired: open “Log a meeting” again",
            "invalid": "This form has expired: open “Log a meeting” again",
        },
    )
    held_at = forms.DateTimeField(
        label="When",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": "Enter when the meeting was, or was due",
            "invalid": "Enter when the meeting was as a real date and time",
            "future": MEETING_IN_FUTURE,  # said by clean_held_at; the phone says it too
        },
    )
    outcome = forms.ChoiceField(
        label="Did you meet?",
        choices=Meeting.Outcome.choices,
        widget=_buttons(),
        error_messages={"required": "Select whether you met"},
    )
    mode = forms.ChoiceField(
        label="How",
        choices=Meeting.Mode.choices,
        widget=_buttons(),
        error_messages={"required": "Select how you met, or were due to"},
    )
    duration = forms.TypedChoiceField(
        label="How long",
        choices=[*DURATIONS, (OTHER, "Other")],
        widget=_buttons(),
        required=False,  # but needed unless minutes are typed: clean says so in these words
        error_messages={"required": "How long was it? Choose one, or type the minutes"},
    )
    duration_other = forms.IntegerField(
        label="Minutes",
        required=False,
        min_value=1,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "e.g. 120"}),
        error_messages={
            "required": "Enter how many minutes the meeting lasted",  # when "Other" is chosen
            "invalid": "Type the minutes as a whole number, like 120",
            "min_value": "Type the minutes as a number from 1 to 1440 (a whole day)",
            "max_value": "Type the minutes as a number from 1 to 1440 (a whole day)",
        },
    )
    initiated_by = forms.ChoiceField(
        label="Who got in touch first?",
        choices=[],
        widget=_buttons(),
        error_messages={"required": "Select who got in touch first"},
    )
    purpose = forms.ChoiceField(
        label="What was it for?",
        choices=[],
        widget=_buttons(),
        error_messages={"required": "Select what the meeting was for"},
    )
    goals = GoalChoiceField(
        label="Which goals did it touch?",
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "btn-check"}),
    )
    note_shared = forms.CharField(
        label="Notes for your coordinator",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Your coordinator and the scheme's managers can read these.",
    )
    note_private = forms.CharField(
        label="Private notes — only you can read these",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Not shown to your coordinator or managers, and never in any report.",
    )
    concern = forms.CharField(
        label="Concern (safeguarding or risk)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=(
            "Only if something worries you. This goes to your coordinator straight away, "
            "in Tandem and by email. If someone is in danger now, call 999 first."
        ),
    )
    # Asked with the concern box; needed only when a concern is written (``clean``).
    concern_category = forms.ChoiceField(
        label="What kind of concern?",
        choices=Category.choices,
        widget=_buttons(),
        required=False,
        error_messages={"required": CATEGORY_MISSING},
    )
    concern_urgency = forms.ChoiceField(
        label="How urgent?",
        choices=Urgency.choices,
        widget=_buttons(),
        required=False,
        initial=Urgency.ROUTINE,
    )
    expenses = forms.DecimalField(
        label="Expenses (£)",
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
        help_text="Bus fares, a coffee. Keep the receipt.",
        error_messages={
            "invalid": "Enter the expenses as an amount in pounds, like 3.50",
            "max_decimal_places": "Enter the expenses in pounds and pence, like 3.50",
        },
    )

    def __init__(
        self, *args: Any, relationship: Relationship, by_mentor: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        mentee = relationship.mentee.short_name
        self.relationship = relationship
        self.by_mentor = by_mentor
        self.fields["client_id"].initial = uuid.uuid4
        self.fields["held_at"].initial = _now_local
        # self.fields holds copies of the fields declared above, typed only as Field.
        cast(forms.ChoiceField, self.fields["outcome"]).choices = [
            (Meeting.Outcome.MET, "Yes, we met"),
            (Meeting.Outcome.DID_NOT_ATTEND, f"{mentee} didn't turn up"),
            (Meeting.Outcome.CANCELLED_BY_MENTEE, f"{mentee} cancelled"),
            (
                Meeting.Outcome.CANCELLED_BY_MENTOR,
                "I cancelled" if by_mentor else "The mentor cancelled",
            ),
        ]
        cast(forms.ChoiceField, self.fields["initiated_by"]).choices = [
            (Party.MENTEE, mentee),
            (Party.MENTOR, "Me" if by_mentor else "The mentor"),
            (Party.COORDINATOR, "The coordinator" if by_mentor else "Me (coordinator)"),
        ]
        them = "them" if by_mentor else "the mentee"
        cast(forms.ChoiceField, self.fields["purpose"]).choices = [
            (Meeting.Purpose.GOALS, "Working on goals"),
            (Meeting.Purpose.HELP_WITH, f"Practical help, done together with {mentee}"),
            (
                Meeting.Purpose.HELP_FOR,
                f"Practical help done for {them}: lifts, calls or forms on their behalf",
            ),
            (Meeting.Purpose.SOCIAL, "Social, a catch-up"),
            (Meeting.Purpose.CRISIS, "A crisis"),
        ]
        cast(GoalChoiceField, self.fields["goals"]).queryset = relationship.goals.filter(
            status=Goal.Status.ACTIVE
        )
        if not by_mentor:
            # Private notes belong to the mentor; a coordinator's note is a shared one.
            del self.fields["note_private"]
            self.fields["note_shared"].label = "Notes"
            self.fields[
                "note_shared"
            ].help_text = "The mentor, coordinators and the scheme's managers can read these."

    def clean_held_at(self) -> Any:
        held_at = self.cleaned_data["held_at"]
        if problem := meeting_time_problem(self.relationship, held_at):
            raise ValidationError(problem)
        return held_at

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns, and never None
        duration, minutes = data.get("duration"), data.get("duration_other")
        if minutes and duration in ("", OTHER, None):
            data["duration_minutes"] = minutes
        elif duration == OTHER:
            if "duration_other" not in self.errors:  # minutes typed wrong: said once already
                message = self.fields["duration_other"].error_messages["required"]
                self.add_error("duration_other", message)
        elif duration and minutes:
            # Without JavaScript a length chosen doesn't clear the minutes typed: which one
            # was meant is the mentor's to say, not a guess.
            self.add_error("duration", "Choose a length or type the minutes, not both")
        elif duration:
            data["duration_minutes"] = int(duration)
        elif "duration_other" not in self.errors and "duration" not in self.errors:
            self.add_error("duration", self.fields["duration"].error_messages["required"])
        if data.get("concern", "").strip() and not data.get("concern_category"):
            self.add_error("concern_category", CATEGORY_MISSING)

        return data

    def service_kwargs(self) -> dict[str, Any]:
        """What ``meeting_log`` takes, from the cleaned form."""
        data = self.cleaned_data
        return {
            "client_id": data["client_id"],
            "held_at": data["held_at"],
            "duration_minutes": data["duration_minutes"],
            "mode": data["mode"],
            "initiated_by": data["initiated_by"],
            "outcome": data["outcome"],
            "purpose": data["purpose"],
            "goals": data["goals"],
            "note_shared": data["note_shared"],
            "note_private": data.get("note_private", ""),
            "concern": data["concern"],
            "concern_category": data["concern_category"],
            "concern_urgency": data["concern_urgency"] or Urgency.ROUTINE,
            "expenses": data["expenses"],
        }
