from typing import Any

from django import forms

from core.forms import Form
from privacy.models import Erasure


class ErasureForm(Form):
    """``person_erase``'s arguments: why, and a note when the reason is "another reason"."""

    reason = forms.ChoiceField(
        label="Why the record is being erased",
        widget=forms.RadioSelect,
        choices=Erasure.Reason.choices,
    )
    note = forms.CharField(
        label="Note (optional unless the reason is “another reason”)",
        help_text="Kept with the erasure, not in the audit trail. Do not name the person.",
        max_length=300,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("reason") == Erasure.Reason.OTHER and not data.get("note", "").strip():
            self.add_error("note", "Say why the record is being erased")
        return data
