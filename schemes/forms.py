from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.db.models import QuerySet

from accounts.models import User
from core.forms import Form, model_field
from schemes.models import Funding, Scheme, Target

DATE = forms.DateInput(attrs={"type": "date"})


def _scheme(name: str, label: str | None = None) -> forms.Field:
    return model_field(Scheme, name, label=label)


class SchemeForm(Form):
    """A scheme's details, rules and thresholds: ``scheme_create``'s and ``scheme_update``'s
    arguments. The service checks the record as a whole (ranges, a name used once)."""

    name = _scheme("name")
    kind = _scheme("kind")
    area = _scheme("area")
    cap_meetings = _scheme("cap_meetings", "Meeting cap")
    cap_weeks = _scheme("cap_weeks", "Length cap (weeks)")
    review_interval_weeks = _scheme("review_interval_weeks", "Review every (weeks)")
    expected_contact_days = _scheme("expected_contact_days", "Expected days between contacts")
    flag_no_first_meeting_days = _scheme(
        "flag_no_first_meeting_days", "No first meeting after (days)"
    )
    flag_no_contact_after_release_days = _scheme(
        "flag_no_contact_after_release_days", "No contact after release (days)"
    )
    flag_review_overdue_days = _scheme("flag_review_overdue_days", "Review overdue by (days)")
    flag_waiting_for_match_days = _scheme(
        "flag_waiting_for_match_days", "Waiting for a match over (days)"
    )
    flag_no_contact_attempt_days = _scheme(
        "flag_no_contact_attempt_days", "No contact attempt for (days)"
    )
    flag_missed_meetings = _scheme("flag_missed_meetings", "Missed meetings (of the last 5)")
    flag_mentor_led_percent = _scheme(
        "flag_mentor_led_percent", "Mentor started (% of last 8 contacts)"
    )
    flag_done_for_percent = _scheme(
        "flag_done_for_percent", "Done for the mentee (% of last 6 meetings)"
    )
    flag_too_long_weeks = _scheme("flag_too_long_weeks", "Carrying on too long (weeks)")
    flag_plan_outcome_days = _scheme(
        "flag_plan_outcome_days", "Planned meeting's outcome not recorded after (days)"
    )
    expiry_first_reminder_days = _scheme(
        "expiry_first_reminder_days", "First reminder before vetting expires (days)"
    )
    expiry_last_reminder_days = _scheme(
        "expiry_last_reminder_days", "Last reminder before vetting expires (days)"
    )
    concern_acknowledge_hours = _scheme(
        "concern_acknowledge_hours", "Acknowledge a concern within (hours)"
    )
    offer_open_days = _scheme("offer_open_days", "Days a mentor has to answer an offer")
    retention_years = _scheme("retention_years", "Years a person's record is kept after it ends")
    private_notes_keep_days = _scheme(
        "private_notes_keep_days", "Days mentors' private notes are kept after a match closes"
    )
    second_factor_for_mentors = _scheme(
        "second_factor_for_mentors", "Mentors must use a code from an app to log in"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset("The scheme", "name", "kind", "area"),
            Fieldset(
                "Relationship rules",
                "cap_meetings",
                "cap_weeks",
                "review_interval_weeks",
                "expected_contact_days",
            ),
            Fieldset(
                "When the watcher raises a flag",
                *(name for name in self.fields if name.startswith("flag_")),
            ),
            Fieldset("Concerns and offers", "concern_acknowledge_hours", "offer_open_days"),
            Fieldset(
                "Reminders before a DBS check or prison clearance expires",
                "expiry_first_reminder_days",
                "expiry_last_reminder_days",
            ),
            Fieldset("Keeping records", "retention_years", "private_notes_keep_days"),
            Fieldset("Logging in", "second_factor_for_mentors"),
        )


class FundingForm(Form):
    """``funding_add``'s arguments; the service checks the grant period."""

    funder = model_field(Funding, "funder")
    reference = model_field(Funding, "reference")
    starts_on = model_field(Funding, "starts_on", widget=DATE, label="Grant starts")
    ends_on = model_field(Funding, "ends_on", widget=DATE, label="Grant ends")


class TargetForm(Form):
    """``target_add``'s arguments; the service checks the period and that it is new."""

    field_words = {"number": {"required": "Enter the target number for this stage and period"}}

    stage = model_field(Target, "stage")
    starts_on = model_field(Target, "starts_on", widget=DATE, label="Period starts")
    ends_on = model_field(Target, "ends_on", widget=DATE, label="Period ends")
    number = model_field(Target, "number", label="Target")


class CoordinatorForm(Form):
    person = forms.ModelChoiceField(
        queryset=User.objects.none(),
        empty_label="Choose a person…",
        error_messages={"required": "Select the person to add as a coordinator"},
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = people
