from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from concerns.models import ActionKind, Category, Concern, Outcome, Urgency
from concerns.selectors import concerns_overdue
from concerns.services import CATEGORY_MISSING
from core.forms import FilterForm, Form, up_to_today
from schemes.selectors import scheme_choices_for

DATE = forms.DateInput(attrs={"type": "date"})


def _today() -> str:
    """Today as a date input shows it (ISO), whatever the locale."""
    return timezone.localdate().isoformat()


class ConcernForm(Form):
    """A coordinator records a concern about a mentee (a call, a visit, a letter)."""

    category = forms.ChoiceField(
        label="What kind of concern is it?",
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": CATEGORY_MISSING},
    )
    urgency = forms.ChoiceField(
        label="How urgent is it?",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        initial=Urgency.ROUTINE,
        error_messages={"required": "Select how urgent it is"},
    )
    words = forms.CharField(
        label="What is the concern?",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what the concern is"},
        help_text="Coordinators and managers read this; it never goes out by email.",
    )


class AcknowledgeForm(Form):
    """One button: "I have read this and I own what happens next"."""


class ActionForm(Form):
    prefix = "action"

    kind = forms.ChoiceField(
        label="What was done?",
        choices=ActionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what was done"},
    )
    taken_on = forms.DateField(
        label="Date of the action", widget=DATE, initial=_today, validators=[up_to_today()]
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Who you spoke to, what was agreed. Required for “Something else”.",
    )


class CloseForm(Form):
    prefix = "close"

    outcome = forms.ChoiceField(
        label="How did it end?",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the concern ended"},
    )
    note = forms.CharField(
        label="Closing note",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say how the concern was dealt with"},
        help_text="Read by coordinators and managers only, never by the mentor.",
    )


SHOW_CHOICES = [
    ("open", "Open"),
    ("overdue", "Not acknowledged in time"),
    ("closed", "Closed"),
    ("all", "All"),
]


class ConcernFilter(django_filters.FilterSet):
    """The concerns list's filters; the queryset given to it is already scoped to the user.
    With nothing chosen it shows the open concerns."""

    show = django_filters.ChoiceFilter(
        label="Show", choices=SHOW_CHOICES, empty_label=None, method="filter_show"
    )
    scheme = django_filters.ModelChoiceFilter(
        queryset=scheme_choices_for, empty_label="All my schemes"
    )
    category = django_filters.ChoiceFilter(choices=Category.choices, empty_label="Any kind")

    class Meta:
        form = FilterForm
        model = Concern
        fields = ["show", "scheme", "category"]

    def __init__(self, data: QueryDict | None = None, *args: Any, **kwargs: Any) -> None:
        values: QueryDict | dict[str, str] = data.copy() if data is not None else {}
        if values.get("show") not in dict(SHOW_CHOICES):  # missing or not one of ours
            values["show"] = "open"
        super().__init__(values, *args, **kwargs)

    def filter_show(self, queryset: QuerySet[Concern], name: str, value: str) -> QuerySet[Concern]:
        if value == "open":
            return queryset.filter(status__in=Concern.OPEN_STATUSES)
        if value == "overdue":
            return concerns_overdue(queryset, now=timezone.now())
        if value == "closed":
            return queryset.filter(status=Concern.Status.CLOSED)
        return queryset
