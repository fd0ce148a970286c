from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from core.forms import Form, up_to_today
from home.importers import KINDS
from schemes.mentors.forms import DateInput
from schemes.models import Scheme

GO_LIVE_HINT = (
    "Tandem raises no flags about anything before this date. Use the day the scheme started "
    "using Tandem."
)


class ImportForm(Form):
    MAX_BYTES = 10 * 1024 * 1024

    kind = forms.ChoiceField(
        choices=KINDS,
        label="The file holds",
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the file holds"},
    )
    scheme = forms.ModelChoiceField(queryset=Scheme.objects.none(), empty_label="Choose…")
    file = forms.FileField(
        label="CSV file or Excel workbook",
        help_text="Columns as in the example files above. Up to 10 MB.",
        error_messages={"required": "Choose a CSV file or Excel workbook to upload"},
    )
    go_live = forms.DateField(
        label="Go-live date",
        help_text=GO_LIVE_HINT,
        initial=timezone.localdate,
        widget=DateInput(),
        validators=[up_to_today("The go-live date cannot be in the future")],
        error_messages={
            "required": "Enter the go-live date",
            "invalid": "The go-live date must be a real date, like 2026-10-01",
        },
    )

    def __init__(self, *args: Any, schemes: QuerySet[Scheme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["scheme"]).queryset = schemes
        if schemes.count() == 1:
            self.fields["scheme"].initial = schemes.get()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 10 MB; split it into parts")
        return upload
