from typing import Any

from django import forms

from core.forms import Form
from privacy.models import Erasure

#: The note outlives the record it erased, so it must say nothing about the person.
NOTE_HELP = (
    "This note is kept after the record is anonymised. Do not put the person's name or "
    "anything about them in it (no dates of birth, addresses, offences or circumstances): "
    "say only why, such as “request by letter of 3 May”."
)
#: Shorter than the column (300): room for why, not for a story.
NOTE_LENGTH = 120


class ErasureForm(Form):
    """``person_erase``'s arguments: why, and a note when the reason is "another reason"."""

    reason = forms.ChoiceField(
        label="Why the record is being erased",
        widget=forms.RadioSelect,
        choices=Erasure.Reason.choices,
    )
    note = forms.CharField(
        label="Why, in a few words (needed only for “another reason”)",
        help_text=NOTE_HELP,
        max_length=NOTE_LENGTH,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("reason") == Erasure.Reason.OTHER and not data.get("note", "").strip():
            self.add_error("note", "Say why the record is being erased")
        return data
