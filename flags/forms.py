from django import forms

from core.forms import Form
from flags.models import Action


class AcknowledgeForm(Form):
    """Shown beside ``ResolveForm`` on a flag's page: each has a "note", so each has its own
    prefix (its own ids, and a summary link that goes to its own box)."""

    prefix = "acknowledge"
    action = forms.ChoiceField(
        label="What did you do?",
        choices=Action.choices,
        widget=forms.RadioSelect,
        help_text="No action needed: the flag was right, nothing to do now. Not useful: the "
        "flag was wrong or no help; it counts against the rule, and it leaves the queue.",
    )
    note = forms.CharField(
        label="Note (optional; required for “no action needed” and “not a useful flag”)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Seen by coordinators and managers, never by the mentor.",
    )


class ResolveForm(Form):
    prefix = "resolve"

    note = forms.CharField(
        label="Why is it resolved?",
        max_length=500,
        error_messages={"required": "Say why the flag is resolved"},
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The watcher will not raise the same flag again for two weeks.",
    )
