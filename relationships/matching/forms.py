"""Forms for matching. They check what was typed; the rules live in
``relationships.matching.services``, whose errors land next to the fields here."""

from typing import Any, cast

from django import forms

from core.forms import Form
from mentees.models import Mentee
from relationships.matching.services import UNMATCH_REASONS, FirstMeeting, first_meeting_plans
from relationships.models import DeclineReason, Relationship


class MatchForm(Form):
    first_meeting = forms.ChoiceField(
        label="First meeting", widget=forms.RadioSelect, choices=FirstMeeting.choices
    )
    note = forms.CharField(
        label="Arrangements for the first meeting (optional)",
        max_length=200,
        required=False,
        help_text="For example the visit date you are booking. The mentor will see this.",
    )
    ask_again = forms.BooleanField(required=False)
    unmarked = frozenset({"ask_again"})  # a choice to make, not a blank to fill in

    def __init__(self, *args: Any, mentee: Mentee, asked_before: str = "", **kwargs: Any) -> None:
        """``asked_before`` names the mentor who declined this person before: only then is
        there a box to ask them again."""
        super().__init__(*args, **kwargs)
        plans = first_meeting_plans(mentee)
        # The recommended plan comes first and says so; none is chosen for the coordinator.
        cast(forms.ChoiceField, self.fields["first_meeting"]).choices = [
            (p.value, p.label) for p in plans
        ]
        if asked_before:
            self.fields["ask_again"].label = f"Ask {asked_before} again, knowing they declined"
        else:
            del self.fields["ask_again"]


class UnmatchForm(Form):
    reason = forms.ChoiceField(
        label="Why",
        widget=forms.RadioSelect,
        choices=[(r.value, r.label) for r in UNMATCH_REASONS],
        error_messages={"required": "Select why the match is being undone"},
    )
    note = forms.CharField(
        label="Note (optional unless the reason is “other”)", max_length=200, required=False
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns, and never None
        if data.get("reason") == Relationship.ClosureReason.OTHER and not data.get("note"):
            self.add_error("note", "Say why the match is being undone")
        return data


class OfferAnswerForm(Form):
    """Accepting, or withdrawing, needs no more than the button."""


class OfferDeclineForm(Form):
    decline_reason = forms.ChoiceField(
        label="Why are you declining?",
        widget=forms.RadioSelect,
        choices=DeclineReason.choices,
        error_messages={"required": "Select why you are declining"},
    )
    decline_note = forms.CharField(
        label="Anything your coordinator should know (optional unless the reason is “other”)",
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Keep your note to %(limit_value)d characters or fewer"},
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        missing = "decline_note" not in self.errors and not data.get("decline_note")
        if data.get("decline_reason") == DeclineReason.OTHER and missing:
            self.add_error("decline_note", "Say why you are declining")
        return data
