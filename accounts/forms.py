from django import forms

from accounts.models import Role
from schemes.models import Scheme


class MembershipForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
    scheme = forms.ModelChoiceField(
        queryset=Scheme.objects.none(),
        required=False,
        help_text="Not needed for managers: they see every scheme.",
    )

    def __init__(self, *args: object, schemes: "forms.models.QuerySet[Scheme]", **kwargs: object):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if data.get("role") and data["role"] != Role.MANAGER and not data.get("scheme"):
            self.add_error("scheme", "Choose the scheme this role is for.")
        return data


class InviteForm(MembershipForm):
    full_name = forms.CharField(max_length=150)
    email = forms.EmailField()
    field_order = ["full_name", "email", "role", "scheme"]
