"""Build a funder report: load the rows once, then compute each section from them."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from core.forms import EARLIEST_DATE, LATEST_DATE
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
PERIOD_RANGE = f"The period must be between {EARLIEST_DATE:%-d %B %Y} and today"


def check_period_years(date_from: datetime.date, date_to: datetime.date) -> None:
    """Refuse, in words, a period outside the years Tandem holds."""
    if date_from < EARLIEST_DATE or date_to > LATEST_DATE:
        raise ValidationError({"date_from": PERIOD_RANGE})


def build_report(
    *,
    scheme_ids: list[int],
    date_from: datetime.date,
    date_to: datetime.date,
    funder: str = "",
    progress: Progress | None = None,
) -> Report:
    """The whole report for these schemes over [date_from, date_to], both days included.

    ``progress(percent, message)``, when given, is called before the work starts, after the
    rows are loaded, after each section and at the end (100), so a background job can show a
    progress bar. The caller checks the user may see the schemes; ids of schemes that do not
    exist are refused here.
    """
    if date_from > date_to:
        raise ValidationError("The period ends before it starts")
    check_period_years(date_from, date_to)
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
    rows = load_rows(scheme_ids=scheme_ids, date_from=date_from, date_to=date_to)
    tell(LOADED_PERCENT, "Records loaded")
    report = Report(
        date_from=date_from,
        date_to=date_to,
        schemes=list(rows.schemes.items()),
        generated_at=timezone.now(),
        funder=funder,
    )
    for i, (key, section) in enumerate(SECTIONS, start=1):
        report.sections.append(section(rows))
        tell(LOADED_PERCENT + (100 - LOADED_PERCENT) * i // len(SECTIONS), f"Built {key}")
    return report
