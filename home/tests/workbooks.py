"""Workbooks for import tests: the historic cohort with a sheet per kind, at any size, and
the column lists and helpers the bad-input tests build their own sheets from.

``cohort()`` gives a small workbook (12 referrals, 3 mentors, 6 relationships, 10 meetings);
``cohort(**FULL)`` the size of a scheme's real history (4,000, 40, 390, 1,100). The rows are
home/tests/historic_cohort.py's; dates are written as Excel date cells (as a person's
spreadsheet has them), references as text.
"""

import datetime
import io
from collections.abc import Iterable, Sequence
from typing import Any

import openpyxl
from django.utils import timezone

from home.tests.historic_cohort import MEETINGS, MENTORS, REFERRALS, RELATIONSHIPS, cohort_rows

#: The acceptance's history: 4,000 referrals, 40 mentors, 390 relationships, 1,100 meetings.
FULL = {
    "mentees": REFERRALS,
    "mentors": MENTORS,
    "relationships": RELATIONSHIPS,
    "meetings": MEETINGS,
}

#: A mentee sheet's columns with names and a dated consent, for the bad-input tests.
MENTEE_COLUMNS = [
    "reference",
    "given_name",
    "family_name",
    "referral_source",
    "referred_on",
    "referral_status",
    "status_changed_on",
    "consent_given_on",
    "consent_sheet_version",
]


def ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def workbook(sheets: dict[str, Sequence[Sequence[Any]]]) -> bytes:
    """An XLSX file with a sheet per entry: its first row the header, then the records."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(column: str, value: str) -> Any:
    """A value as a person's spreadsheet holds it: dates and times as Excel's own cells,
    durations as numbers, an empty cell for a blank."""
    if value == "":
        return None
    if column.endswith("_on") or column == "status_since":
        return datetime.date.fromisoformat(value)
    if column == "time":
        return datetime.time.fromisoformat(value.zfill(5))
    if column == "duration_minutes":
        return int(value)
    return value


def cohort_sheets(
    *, mentees: int = 12, mentors: int = 3, relationships: int = 6, meetings: int = 10
) -> dict[str, list[list[Any]]]:
    """The historic cohort's rows (home/tests/historic_cohort.py, the one source of them) as
    sheets, at any size: a header row, then the records. ``mentees`` is the number of
    referrals (one person each)."""
    tables = cohort_rows(
        referrals=mentees, mentors=mentors, relationships=relationships, meetings=meetings
    )
    return {
        kind: [
            list(table.columns),
            *[[_cell(c, row[c]) for c in table.columns] for row in table.rows],
        ]
        for kind, table in tables.items()
    }


def cohort(**sizes: int) -> bytes:
    return workbook(cohort_sheets(**sizes))


def with_rows(rows: Iterable[Sequence[Any]], header: Sequence[str]) -> list[list[Any]]:
    return [list(header), *[list(r) for r in rows]]
