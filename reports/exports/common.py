"""What every export format shares: the privacy check, the notes each file carries, the
report's tables as plain typed cells, and how a person reads a cell. Text that would run as
a formula is made inert by ``core.spreadsheets.neutralise``, the one function every CSV and
XLSX writer uses (``neutralise_frame`` applies it to a pandas frame).

No format-specific code here: ``csv_zip``, ``xlsx`` and ``pdf`` each import these names,
and none of them imports another.
"""

import datetime
import math
import re
from collections.abc import Iterator
from typing import Any

import pandas as pd
from django.utils import timezone
from pandas.api.types import is_object_dtype, is_string_dtype

from core.spreadsheets import neutralise
from reports.report import NO_BASE, NOT_APPLICABLE, Progress, Report, Table, measure_text
from reports.terms import readable_definitions

RATES_NOTE = (
    "Rates are decimal fractions from 0 to 1 (0.25 means 25%), next to the counts they are "
    "worked out from; n/a means there was nobody to divide by. A blank cell has no base by "
    "definition (the first stage's conversion, the share column of a row that is not a share)."
)
SUPPRESSION_NOTE = (
    "In breakdowns by a personal characteristic (Who the scheme reaches), a count from 1 to 4 "
    "is shown as <5, and [c] hides a further count so that no total reveals one."
)
PRIVACY_NOTE = "Aggregate figures only: no names, dates of birth or notes about anyone."

# Column headers that would mean personal data had slipped into a table.
PERSONAL_HEADER = re.compile(
    r"^names?$|\b(mentee|mentor|full|given|family|first|last|person'?s?|client|user) names?\b"
    r"|\bnotes?\b|\bdate of birth\b|\bdob\b|\baddress\b|\be-?mail\b|\bphone number\b"
    r"|\btelephone\b|\bpostcode\b",
    re.IGNORECASE,
)


class PersonalDataError(ValueError):
    """A report table has a column that looks like personal data; nothing was exported."""


def check_aggregate(report: Report) -> None:
    """Refuse, before any file is written, a table with a column that looks personal."""
    for section in report.sections:
        for table in section.tables:
            for column in plain_frame(table).columns:
                if PERSONAL_HEADER.search(str(column)):
                    raise PersonalDataError(
                        f"Table {section.key}/{table.key} has a column {str(column)!r}, which "
                        "looks like personal data. Funder exports hold aggregate figures only."
                    )


def reporter(progress: Progress | None) -> Progress:
    """The caller's progress callable, or one that ignores every step."""
    return progress or (lambda percent, message: None)


def plain_frame(table: Table) -> pd.DataFrame:
    """The table as plain columns: a meaningful index becomes a column, headers become text."""
    frame = table.frame
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None:
        frame = frame.reset_index()
    if isinstance(frame.columns, pd.MultiIndex):
        frame = frame.set_axis(
            [" – ".join(str(p) for p in col if str(p)) for col in frame.columns], axis=1
        )
    return frame.set_axis([str(c) for c in frame.columns], axis=1)


# --- What kind of value a cell holds ------------------------------------------------------
RATE, COUNT, NUMBER, DATE, TEXT = "rate", "count", "number", "date", "text"
SUPPRESSED = re.compile(r"^(<\d+|\[c\])$")  # "<5", "[c]": a count, aligned with the numbers


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``core.spreadsheets.neutralise`` on every text cell and header; number, yes/no and date
    columns keep their dtype (a count column with gaps stays whole numbers, a negative change
    stays a number). A column of codes stored as categories is text too."""
    frame = frame.copy()
    for position in range(frame.shape[1]):
        values = frame.iloc[:, position]
        kind = values.dtype
        if not (
            is_object_dtype(kind) or is_string_dtype(kind) or isinstance(kind, pd.CategoricalDtype)
        ):
            continue
        # Built as objects, not mapped: a map would infer floats for whole numbers with gaps.
        frame.isetitem(
            position, pd.Series([neutralise(v) for v in values], index=frame.index, dtype=object)
        )
    frame.columns = [neutralise(c) for c in frame.columns]
    return frame


def is_missing(value: Any) -> bool:
    """None, pandas' NA and NaT, and NaN: a cell with nothing in it ("n/a")."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _plain(value: Any) -> Any:
    """A cell as a Python value: None when missing; numpy numbers and timestamps unwrapped."""
    if is_missing(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        value = timezone.localtime(value).replace(tzinfo=None)
    return value


def _kind(value: Any, is_rate: bool) -> str:
    if isinstance(value, (bool, str)):
        return TEXT
    if is_rate and isinstance(value, int | float):
        return RATE
    if isinstance(value, int):
        return COUNT
    if isinstance(value, float):
        return NUMBER
    if isinstance(value, datetime.date):
        return DATE
    return TEXT


def typed_rows(table: Table, frame: pd.DataFrame) -> Iterator[list[tuple[Any, str]]]:
    """Each row as (value, kind) pairs; a missing value is (None, kind of its column), a cell
    with no base by definition is (``NO_BASE``, text)."""
    plain = [[_plain(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    kinds = []  # a missing value takes the kind of its column's other values
    for col, name in enumerate(frame.columns):
        present = (row[col] for row in plain if row[col] is not None and row[col] != NO_BASE)
        kinds.append(RATE if name in table.rate_columns else _kind(next(present, ""), False))
    for row in plain:
        yield [
            (value, kinds[col] if value is None else _kind(value, kinds[col] == RATE))
            for col, value in enumerate(row)
        ]


def cell_text(value: Any, kind: str) -> str:
    """How a person reads a cell (the PDF, and column widths in the XLSX): "n/a" where a base
    exists but is zero, blank where there is no base by definition, measures below one to two
    decimal places."""
    if value is None:
        return NOT_APPLICABLE
    if kind == RATE:
        return f"{value:.0%}" if value in (0, 1) else f"{value:.1%}"
    if kind == COUNT:
        return f"{value:,}"
    if kind == NUMBER:
        return measure_text(value)
    if kind == DATE:
        return f"{value:%-d %b %Y}"
    return str(value)


def period_text(report: Report) -> str:
    """The report's period as a person reads it: "1 April 2025 to 31 March 2026", and
    "(figures to 1 December 2026)" when the report was built before the period ended."""
    text = f"{report.date_from:%-d %B %Y} to {report.date_to:%-d %B %Y}"
    if report.counted_to is not None:
        text += f" (figures to {report.counted_to:%-d %B %Y})"
    return text


def generated_text(report: Report) -> str:
    """When the report was built, in the site's time zone."""
    at = report.generated_at
    if timezone.is_aware(at):
        at = timezone.localtime(at)
    return f"{at:%-d %B %Y, %H:%M}"


def definitions_frame(report: Report) -> pd.DataFrame:
    """Every section's definitions, one row per figure (the CSV file and the XLSX sheet)."""
    return pd.DataFrame(
        [
            (section.key, section.title, words, text)
            for section in report.sections
            for words, text in readable_definitions(section).items()
        ],
        columns=["Section key", "Section", "Figure", "Definition"],
    )


def about_rows(report: Report) -> list[tuple[str, str]]:
    """What the report covers, as (item, value) rows: the start of ``about.csv`` and of the
    XLSX's About sheet."""
    rows = [
        ("Report", "Funder report"),
        ("Funder", report.funder or "None chosen (the report covers the schemes listed)"),
        ("Period from", report.date_from.isoformat()),
        ("Period to", report.date_to.isoformat()),
        ("Figures counted to", report.last_counted_day.isoformat()),
        ("Period", period_text(report)),
        ("Schemes", "; ".join(name for _, name in report.schemes)),
        ("Scheme ids", "; ".join(str(pk) for pk, _ in report.schemes)),
        ("Generated at", generated_text(report)),
        ("Privacy", PRIVACY_NOTE),
        ("Small numbers", SUPPRESSION_NOTE),
    ]
    return rows
