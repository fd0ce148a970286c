"""A funder report as files: a zip of CSVs, an XLSX workbook, and a PDF a trustee can read.

Each writer takes a ``Report`` (see ``reports/report.py``) and returns the file's bytes. They
never touch the database, so the command, the web job and the tests run the same code. The
files are described in ``docs/reports.md`` ("The export files").

The writers print only what the Report holds, and refuse a table with a column that looks like
personal data (a name, a note, a date of birth): a mistake upstream fails loudly instead of
reaching a funder.

Each writer takes an optional ``progress(percent, message)`` callable, which the web job uses
for its progress bar.
"""

import datetime
import io
import math
import re
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd
from django.utils import timezone

from reports.report import NOT_APPLICABLE, Report, Section, Table

Progress = Callable[[int, str], None]

RATES_NOTE = (
    "Rates are decimal fractions from 0 to 1 (0.25 means 25%), next to the counts they are "
    "worked out from; n/a means there was nobody to divide by."
)
SUPPRESSION_NOTE = (
    "There are no breakdowns by a personal characteristic in this report; if there were, a "
    "count from 1 to 4 would be shown as <5 to protect privacy."
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
    for section in report.sections:
        for table in section.tables:
            for column in _frame(table).columns:
                if PERSONAL_HEADER.search(str(column)):
                    raise PersonalDataError(
                        f"Table {section.key}/{table.key} has a column {str(column)!r}, which "
                        "looks like personal data. Funder exports hold aggregate figures only."
                    )


def _reporter(progress: Progress | None) -> Progress:
    return progress or (lambda percent, message: None)


def _frame(table: Table) -> pd.DataFrame:
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
SUPPRESSED = re.compile(r"^<\d+$")  # "<5": a count, aligned with the numbers


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _plain(value: Any) -> Any:
    """A cell as a Python value: None when missing; numpy numbers and timestamps unwrapped."""
    if _is_missing(value):
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


def _rows(table: Table, frame: pd.DataFrame) -> Iterator[list[tuple[Any, str]]]:
    """Each row as (value, kind) pairs; a missing value is (None, kind of its column)."""
    plain = [[_plain(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    kinds = []  # a missing value takes the kind of its column's other values
    for col, name in enumerate(frame.columns):
        present = (row[col] for row in plain if row[col] is not None)
        kinds.append(RATE if name in table.rate_columns else _kind(next(present, ""), False))
    for row in plain:
        yield [
            (value, kinds[col] if value is None else _kind(value, kinds[col] == RATE))
            for col, value in enumerate(row)
        ]


def _text(value: Any, kind: str) -> str:
    """How a person reads a cell (the PDF, and column widths in the XLSX)."""
    if value is None:
        return NOT_APPLICABLE
    if kind == RATE:
        return f"{value:.0%}" if value in (0, 1) else f"{value:.1%}"
    if kind == COUNT:
        return f"{value:,}"
    if kind == NUMBER:
        return f"{value:,.1f}"
    if kind == DATE:
        return f"{value:%-d %b %Y}"
    return str(value)


def _period(report: Report) -> str:
    return f"{report.date_from:%-d %B %Y} to {report.date_to:%-d %B %Y}"


def _generated(report: Report) -> str:
    at = report.generated_at
    if timezone.is_aware(at):
        at = timezone.localtime(at)
    return f"{at:%-d %B %Y, %H:%M}"


def _tables(report: Report) -> Iterator[tuple[Section, Table]]:
    for section in report.sections:
        for table in section.tables:
            yield section, table


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "table"


def csv_file_names(report: Report) -> list[str]:
    """The CSV files of the zip, in order: one per table, then definitions and about."""
    names, seen = [], set()
    for section, table in _tables(report):
        name = f"{_slug(section.key)}__{_slug(table.key)}"
        stem, n = name, 2
        while name in seen:
            name, n = f"{stem}_{n}", n + 1
        seen.add(name)
        names.append(f"{name}.csv")
    return [*names, "definitions.csv", "about.csv"]


def _definitions(report: Report) -> pd.DataFrame:
    return pd.DataFrame(
        [
            (section.key, section.title, term, text)
            for section in report.sections
            for term, text in section.definitions.items()
        ],
        columns=["Section key", "Section", "Figure", "Definition"],
    )


def _about(report: Report) -> list[tuple[str, str]]:
    rows = [
        ("Report", "Funder report"),
        ("Funder", report.funder or "All funders"),
        ("Period from", report.date_from.isoformat()),
        ("Period to", report.date_to.isoformat()),
        ("Schemes", "; ".join(name for _, name in report.schemes)),
        ("Scheme ids", "; ".join(str(pk) for pk, _ in report.schemes)),
        ("Generated at", _generated(report)),
        ("Privacy", PRIVACY_NOTE),
        ("Small numbers", SUPPRESSION_NOTE),
    ]
    return rows


# --- CSV ----------------------------------------------------------------------------------
def _csv_bytes(frame: pd.DataFrame) -> bytes:
    # The byte order mark tells Excel the file is UTF-8 (scheme names, dashes, "≤").
    text = frame.to_csv(index=False, na_rep=NOT_APPLICABLE, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def _csv_frame(table: Table) -> pd.DataFrame:
    frame = _frame(table).copy()
    for column in frame.columns:
        if column in table.rate_columns:
            frame[column] = frame[column].map(lambda v: None if _is_missing(v) else round(v, 4))
        elif pd.api.types.is_float_dtype(frame[column]):
            frame[column] = frame[column].round(2)
    return frame


def to_csv_zip(report: Report, progress: Progress | None = None) -> bytes:
    """A zip of CSV files: one per table, ``definitions.csv`` and ``about.csv``."""
    tell = _reporter(progress)
    check_aggregate(report)
    tell(0, "Writing the CSV files")
    names = csv_file_names(report)
    tables = list(_tables(report))
    stamp = report.generated_at.timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:

        def write(name: str, data: bytes) -> None:
            archive.writestr(zipfile.ZipInfo(name, date_time=stamp), data, zipfile.ZIP_DEFLATED)

        for i, ((_section, table), name) in enumerate(zip(tables, names, strict=False)):
            write(name, _csv_bytes(_csv_frame(table)))
            tell(5 + 85 * (i + 1) // max(len(tables), 1), f"Wrote {name}")
        write("definitions.csv", _csv_bytes(_definitions(report)))
        about = [*_about(report), ("Rates", RATES_NOTE)]
        about += [
            (name, f"{section.title}: {table.title}")
            for (section, table), name in zip(tables, names, strict=False)
        ]
        write("about.csv", _csv_bytes(pd.DataFrame(about, columns=["Item", "Value"])))
    tell(100, "CSV files ready")
    return buffer.getvalue()


# --- XLSX ---------------------------------------------------------------------------------
XLSX_FORMATS = {COUNT: "#,##0", RATE: "0.0%", NUMBER: "0.0", DATE: "d mmm yyyy"}
ABOUT_SHEET, DEFINITIONS_SHEET = "About", "Definitions"


def _sheet_name(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\']", "", title).strip()[:31] or "Section"
    name, n = base, 2
    while name.lower() in used or name.lower() == "history":
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def to_xlsx(report: Report, progress: Progress | None = None) -> bytes:
    """A workbook: About, a sheet per section (its tables stacked), and Definitions."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    tell = _reporter(progress)
    check_aggregate(report)
    tell(0, "Building the workbook")
    bold, italic = Font(bold=True), Font(italic=True, color="555555")
    header_fill = PatternFill("solid", fgColor="DDE5EE")
    header_border = Border(bottom=Side(style="thin", color="6B7B8C"))
    right = Alignment(horizontal="right")
    wrap_top = Alignment(wrap_text=True, vertical="top")

    book = Workbook()
    about = book.active
    about.title = ABOUT_SHEET
    used = {ABOUT_SHEET.lower(), DEFINITIONS_SHEET.lower()}

    def heading(ws, row: int, text: str, size: int = 14) -> None:
        ws.cell(row=row, column=1, value=text).font = Font(bold=True, size=size)

    def key_value_sheet(ws, headers: list[str], rows: list, widths: list[int]) -> None:
        ws.append(headers)
        for cell in ws[1]:
            cell.font, cell.fill, cell.border = bold, header_fill, header_border
        for row in rows:
            ws.append(list(row))
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = wrap_top
        ws.freeze_panes = "A2"

    key_value_sheet(
        about,
        ["Item", "Value"],
        [*_about(report), ("Rates", "Shown as percentages, next to the counts behind them.")],
        [18, 90],
    )

    sections = report.sections
    for done, section in enumerate(sections):
        ws = book.create_sheet(_sheet_name(section.title or section.key, used))
        heading(ws, 1, section.title)
        ws.cell(row=2, column=1, value=f"{_period(report)} · {report.funder or 'All funders'}")
        ws.cell(row=2, column=1).font = italic
        widths: dict[int, int] = {}
        row = 4
        header_rows = []
        for table in section.tables:
            frame = _frame(table)
            heading(ws, row, table.title, size=12)
            row += 1
            if table.note:
                ws.cell(row=row, column=1, value=table.note).font = italic
                row += 1
            for col, name in enumerate(frame.columns, start=1):
                cell = ws.cell(row=row, column=col, value=name)
                cell.font, cell.fill, cell.border = bold, header_fill, header_border
                cell.alignment = Alignment(wrap_text=True, vertical="bottom")
                widths[col] = max(widths.get(col, 0), min(len(name), 18))
            header_rows.append(row)
            if frame.empty:
                row += 1
                ws.cell(row=row, column=1, value="None in this period").font = italic
            for cells in _rows(table, frame):
                row += 1
                for col, (value, kind) in enumerate(cells, start=1):
                    shown = NOT_APPLICABLE if value is None else value
                    cell = ws.cell(row=row, column=col, value=shown)
                    if value is None or SUPPRESSED.match(str(value)):
                        cell.alignment = right
                    elif kind in XLSX_FORMATS:
                        cell.number_format = XLSX_FORMATS[kind]
                    widths[col] = max(widths.get(col, 0), len(_text(value, kind)))
            row += 2
        for col, width in widths.items():
            ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 10), 50)
        # One table: keep its column headers in view. Several: the headers of the first would
        # mislabel the tables below, so only the section's title and period stay in view.
        ws.freeze_panes = f"A{header_rows[0] + 1}" if len(header_rows) == 1 else "A3"
        tell(5 + 85 * (done + 1) // max(len(sections), 1), f"Wrote the {section.title} sheet")

    key_value_sheet(
        book.create_sheet(DEFINITIONS_SHEET),
        ["Section", "Figure", "Definition"],
        _definitions(report)[["Section", "Figure", "Definition"]].itertuples(index=False),
        [22, 32, 90],
    )
    book.properties.title = f"Funder report, {_period(report)}"
    book.properties.creator = "Tandem"
    buffer = io.BytesIO()
    book.save(buffer)
    tell(100, "Workbook ready")
    return buffer.getvalue()


# --- PDF ----------------------------------------------------------------------------------
def to_pdf(report: Report, progress: Progress | None = None) -> bytes:
    """A few A4 pages for trustees: the funnel, contact over time, distance travelled, the key
    tables and the definitions (see ``reports/pdf.py``)."""
    from reports.pdf import render  # matplotlib loads only when a PDF is asked for

    return render(report, progress)
