from django import forms

from core.forms import Form
from flags.models import Action


class AcknowledgeForm(Form):
    action = forms.ChoiceField(
        label="What did you do?", choices=Action.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Note (optional; required for “no action needed”)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Seen by coordinators and managers, never by the mentor.",
    )


class ResolveForm(Form):
    note = forms.CharField(
        label="Why is it resolved?",
        max_length=500,
        error_messages={"required": "Say why the flag is resolved"},
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The watcher will not raise the same flag again for two weeks.",
    )
