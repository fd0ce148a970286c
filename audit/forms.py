from django import forms

from accounts.models import User


class AuditFilterForm(forms.Form):
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
    target_id = forms.CharField(required=False, max_length=64, label="Record id")
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: object, people: "forms.models.QuerySet[User]", **kwargs: object):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = people

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date is before the start date.")
        return data
