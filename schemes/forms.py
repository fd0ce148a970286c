from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.db.models import QuerySet

from accounts.models import User
from schemes.models import Funding, Scheme, Target

DATE = forms.DateInput(attrs={"type": "date"})
FLAG_FIELDS = [f.name for f in Scheme._meta.fields if f.name.startswith("flag_")]


class SchemeForm(forms.ModelForm):
    class Meta:
        model = Scheme
        fields = [
            "name",
            "kind",
            "area",
            "cap_meetings",
            "cap_weeks",
            "review_interval_weeks",
            "expected_contact_days",
            *FLAG_FIELDS,
        ]
        labels = {
            "cap_meetings": "Meeting cap",
            "cap_weeks": "Length cap (weeks)",
            "review_interval_weeks": "Review every (weeks)",
            "expected_contact_days": "Expected days between contacts",
            "flag_no_first_meeting_days": "No first meeting after (days)",
            "flag_no_contact_after_release_days": "No contact after release (days)",
            "flag_review_overdue_days": "Review overdue by (days)",
            "flag_waiting_for_match_days": "Waiting for a match over (days)",
            "flag_no_contact_attempt_days": "No contact attempt for (days)",
            "flag_missed_meetings": "Missed meetings (of the last 5)",
            "flag_mentor_led_percent": "Mentor started (% of last 8 contacts)",
            "flag_done_for_percent": "Done for the mentee (% of last 6 meetings)",
            "flag_too_long_weeks": "Carrying on too long (weeks)",
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
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
            Fieldset("When the watcher raises a flag", *FLAG_FIELDS),
        )


class FundingForm(forms.ModelForm):
    class Meta:
        model = Funding
        fields = ["funder", "reference", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}
        labels = {"starts_on": "Grant starts", "ends_on": "Grant ends"}

    def _post_clean(self) -> None:
        pass  # the service validates the whole record


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["stage", "starts_on", "ends_on", "number"]
        widgets = {"starts_on": DATE, "ends_on": DATE}
        labels = {"starts_on": "Period starts", "ends_on": "Period ends", "number": "Target"}

    def _post_clean(self) -> None:
        pass


class CoordinatorForm(forms.Form):
    person = forms.ModelChoiceField(queryset=User.objects.none(), empty_label="Choose a person…")

    def __init__(self, *args: object, people: QuerySet[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
