import datetime
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from core.forms import Form
from reports.build import PERIOD_RANGE, period_errors
from reports.models import ReportExport
from reports.quarters import quarter_start
from schemes.models import Scheme

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _a_year_ago() -> datetime.date:
    """The first day of the last four whole quarters (the equality breakdown's periods)."""
    start = quarter_start(timezone.localdate())
    return start.replace(year=start.year - 1)


def _last_quarter_end() -> datetime.date:
    """The last day of the last quarter that has ended."""
    return quarter_start(timezone.localdate()) - datetime.timedelta(days=1)


class ReportForm(Form):
    date_from = forms.DateField(
        label="From",
        widget=DATE,
        initial=_a_year_ago,
        error_messages={
            "required": "Enter the first day of the period",
            "invalid": "The first day of the period must be a real date",
            "date_range": PERIOD_RANGE,
        },
    )
    date_to = forms.DateField(
        label="To (inclusive)",
        widget=DATE,
        initial=_last_quarter_end,
        error_messages={
            "required": "Enter the last day of the period",
            "invalid": "The last day of the period must be a real date",
            "date_range": PERIOD_RANGE,
        },
        help_text="Up to the end of the current quarter: figures stop at today. Who the "
        "scheme reaches is shown only for whole quarters that have ended.",
    )
    schemes = forms.ModelMultipleChoiceField(
        queryset=Scheme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick at least one, or choose a funder below to cover every scheme it "
        "funded in the period.",
    )
    funder = forms.ChoiceField(label="Funder (instead of schemes)", required=False)
    format = forms.ChoiceField(
        choices=ReportExport.Format.choices,
        error_messages={"required": "Select the format of the report"},
        widget=forms.RadioSelect,
    )
    kind = forms.ChoiceField(
        label="What",
        choices=ReportExport.Kind.choices,
        initial=ReportExport.Kind.FUNDER,
        error_messages={"required": "Select which report: the funder report or the extract"},
        widget=forms.RadioSelect,
        help_text="The case-level extract lists each person by pseudonymous reference only. "
        "Asking for it is recorded in the audit trail.",
    )

    unmarked = frozenset({"schemes", "funder"})  # one or the other: said in hint and label

    def __init__(
        self,
        *args: Any,
        schemes: QuerySet[Scheme],
        funders: list[str],
        managers_only: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # self.fields holds copies of the fields declared above, typed only as Field.
        scheme_field = cast(forms.ModelMultipleChoiceField, self.fields["schemes"])
        scheme_field.queryset = schemes
        if schemes.count() == 1:
            scheme_field.initial = [schemes.get().pk]
        cast(forms.ChoiceField, self.fields["funder"]).choices = [
            ("", "No funder: the schemes ticked above")
        ] + [(name, name) for name in funders]
        if managers_only:
            self.fields["format"].help_text = "The case-level extract comes as one CSV file only."
        else:
            del self.fields["kind"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns, and never None
        if not data.get("schemes") and not data.get("funder"):
            self.add_error("schemes", "Choose at least one scheme, or a funder")
        # The service checks the period too; here it is reported with every other error on
        # the first submit, not after they are fixed.
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The period ends before it starts")
        for field, message in period_errors(date_from, date_to, timezone.localdate()).items():
            if field not in self.errors:
                self.add_error(field, message)
        extract = data.get("kind") == ReportExport.Kind.CASE_EXTRACT
        if extract and data.get("format") not in (None, ReportExport.Format.CSV):
            self.add_error("format", ReportExport.EXTRACT_FORMAT_ERROR)
        return data
