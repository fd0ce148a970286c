from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from accounts.models import User
from core.forms import FilterForm
from mentees.models import Mentee


class AuditFilterForm(FilterForm):
    TARGET_TYPES = [
        ("", "Any record"),
        ("mentees.mentee", "Mentee"),
        ("relationships.relationship", "Relationship"),
        ("schemes.scheme", "Scheme"),
        ("schemes.mentor", "Mentor"),
        ("accounts.user", "Person (account)"),
    ]

    actor = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label="Person", empty_label="Anyone"
    )
    target_type = forms.ChoiceField(choices=TARGET_TYPES, required=False, label="Record type")
    target_id = forms.CharField(
        required=False,
        max_length=64,
        label="Record",
        help_text="A mentee reference (T000123) or the record's number.",
    )
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self,
        *args: Any,
        people: QuerySet[User],
        mentees: QuerySet[Mentee],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["actor"]).queryset = people
        self.mentees = mentees

    def clean_target_id(self) -> str:
        """Coordinators know mentees by their reference, not by a database number."""
        value = self.cleaned_data["target_id"].strip()
        if value[:1] in "Tt" and value[1:].isdecimal():
            pk = self.mentees.filter(reference__iexact=value).values_list("pk", flat=True).first()
            if pk is None:
                raise forms.ValidationError("No mentee has this reference")
            self.cleaned_data["target_type"] = "mentees.mentee"
            return str(pk)
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns, and never None
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date is before the start date")
        return data
