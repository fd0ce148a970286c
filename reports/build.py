"""Build a funder report: load the rows once, then compute each section from them."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from core.forms import EARLIEST_DATE, LATEST_DATE
from reports.quarters import counted_to as last_counted_day
from reports.quarters import latest_period_end
from reports.report import Progress, Report
from reports.rows import load_rows
from reports.sections import SECTIONS
from schemes.models import Scheme

#: Loading the rows is most of the work; the sections share the rest.
LOADED_PERCENT = 40


def schemes_for_funder(funder: str, date_from: datetime.date, date_to: datetime.date) -> QuerySet:
    """Schemes with funding from ``funder`` (the name, any case) for some of the period."""
    return (
        Scheme.objects.filter(
            fundings__funder__iexact=funder.strip(),
            fundings__starts_on__lte=date_to,
            fundings__ends_on__gte=date_from,
        )
        .distinct()
        .order_by("name")
    )


#: The years a report may cover (``core.forms.within_years``): pandas, which computes every
#: figure, holds dates from 1677 to 2262 only.
PERIOD_RANGE = (
    f"The period must be between {EARLIEST_DATE:%-d %B %Y} and the end of the current quarter"
)


def check_period_years(date_from: datetime.date, date_to: datetime.date) -> None:
    """Refuse, in words, a period outside the years Tandem holds."""
    if date_from < EARLIEST_DATE or date_to > LATEST_DATE:
        raise ValidationError({"date_from": PERIOD_RANGE})


#: A period that starts after today has nothing to count yet.
NOT_STARTED = "The period must start by today: nothing after today is counted"


def period_errors(
    date_from: datetime.date | None, date_to: datetime.date | None, today: datetime.date | None
) -> dict[str, str]:
    """Why a period's days are refused, by field, in words (empty when they are fine). A
    quarter's report can be set up before the quarter ends, so the period may end as late as
    the end of the current quarter; it must have started, since figures stop at today."""
    today = today or timezone.localdate()
    errors = {}
    if date_from is not None and date_from > today:
        errors["date_from"] = NOT_STARTED
    latest = latest_period_end(today)
    if date_to is not None and date_to > latest:
        errors["date_to"] = (
            f"The period can end on {latest:%-d %B %Y} at the latest, the last day of the "
            "current quarter"
        )
    return errors


def check_period_dates(
    date_from: datetime.date, date_to: datetime.date, today: datetime.date | None = None
) -> None:
    """Refuse a period that has not started or ends after the current quarter."""
    errors = period_errors(date_from, date_to, today)
    if errors:
        raise ValidationError(errors)


def build_report(
    *,
    scheme_ids: list[int],
    date_from: datetime.date,
    date_to: datetime.date,
    funder: str = "",
    progress: Progress | None = None,
    today: datetime.date | None = None,
) -> Report:
    """The whole report for these schemes over [date_from, date_to], both days included.

    Figures stop at ``today`` (the day it is built, by default): a period may end up to the
    end of the current quarter, and the report says the last day it counted
    (``Report.counted_to``) when that is before the period's end.

    ``progress(percent, message)``, when given, is called before the work starts, after the
    rows are loaded, after each section and at the end (100), so a background job can show a
    progress bar. The caller checks the user may see the schemes; ids of schemes that do not
    exist are refused here.
    """
    if date_from > date_to:
        raise ValidationError("The period ends before it starts")
    check_period_years(date_from, date_to)
    today = today or timezone.localdate()
    check_period_dates(date_from, date_to, today)
    counted = last_counted_day(date_to, today)
    scheme_ids = sorted(set(scheme_ids))
    if not scheme_ids:
        raise ValidationError("Choose at least one scheme")

    def tell(percent: int, message: str) -> None:
        if progress is not None:
            progress(percent, message)

    missing = set(scheme_ids) - set(
        Scheme.objects.filter(pk__in=scheme_ids).values_list("pk", flat=True)
    )
    if missing:
        raise ValidationError(f"There is no scheme with id {', '.join(map(str, sorted(missing)))}")
    tell(0, "Loading records")
    rows = load_rows(
        scheme_ids=scheme_ids,
        date_from=date_from,
        date_to=date_to,
        counted_to=counted,
        funder=funder,
    )
    tell(LOADED_PERCENT, "Records loaded")
    report = Report(
        date_from=date_from,
        date_to=date_to,
        schemes=list(rows.schemes.items()),
        generated_at=timezone.now(),
        funder=funder,
        counted_to=counted if counted < date_to else None,
    )
    for i, (key, section) in enumerate(SECTIONS, start=1):
        report.sections.append(section(rows))
        tell(LOADED_PERCENT + (100 - LOADED_PERCENT) * i // len(SECTIONS), f"Built {key}")
    return report
