"""The report as an XLSX workbook, for people who work in Excel: an About sheet, a sheet per
section with its tables stacked, and the definitions (see "XLSX" in ``docs/reports.md``).

The numbers stay real numbers with number formats, so a funder can sum and chart them. Every
cell is written through ``_put``: text is stored as text, never as a formula, whoever typed
it, and text that starts a formula has Excel's quote-prefix style
(``core.spreadsheets.neutralise_cell``) rather than a visible apostrophe.
"""

import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.spreadsheets import neutralise_cell
from reports.exports.common import (
    COUNT,
    DATE,
    NUMBER,
    RATE,
    SUPPRESSED,
    about_rows,
    cell_text,
    check_aggregate,
    definitions_frame,
    period_text,
    plain_frame,
    reporter,
    typed_rows,
)
from reports.report import NO_BASE, NOT_APPLICABLE, Progress, Report, Section, Table
from reports.wording import report_subject

XLSX_FORMATS = {COUNT: "#,##0", RATE: "0.0%", NUMBER: "0.0", DATE: "d mmm yyyy"}
#: A measure below one (0.08 hours) keeps two decimal places, as on screen.
SMALL_NUMBER_FORMAT = "0.00"
ABOUT_SHEET, DEFINITIONS_SHEET = "About", "Definitions"

BOLD, ITALIC = Font(bold=True), Font(italic=True, color="555555")
HEADER_FILL = PatternFill("solid", fgColor="DDE5EE")
HEADER_BORDER = Border(bottom=Side(style="thin", color="6B7B8C"))
RIGHT = Alignment(horizontal="right")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def _put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write one cell. Text loses the control characters an XLSX cannot hold (a scheme name
    pasted with one would otherwise stop the whole workbook), is stored as text (openpyxl would
    store a string starting with "=" as a formula) and, if it starts a formula, has Excel's
    quote-prefix style (``neutralise_cell``): it reads as typed, with no apostrophe showing."""
    if isinstance(value, str):  # stripped first, so "\x01=..." cannot become "=..." unneutralised
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return neutralise_cell(ws.cell(row=row, column=column, value=value))


def _sheet_name(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\']", "", title).strip()[:31] or "Section"
    name, n = base, 2
    while name.lower() in used or name.lower() == "history":
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _heading(ws: Worksheet, row: int, text: str, size: int = 14) -> None:
    _put(ws, row, 1, text).font = Font(bold=True, size=size)


def _key_value_sheet(
    ws: Worksheet, headers: list[str], rows: Iterable[Sequence[Any]], widths: list[int]
) -> None:
    for column, header in enumerate(headers, start=1):
        cell = _put(ws, 1, column, header)
        cell.font, cell.fill, cell.border = BOLD, HEADER_FILL, HEADER_BORDER
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            _put(ws, number, column, value)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = WRAP_TOP
    ws.freeze_panes = "A2"


def _write_table(ws: Worksheet, table: Table, row: int, widths: dict[int, int]) -> tuple[int, int]:
    """Write ``table`` from ``row`` down (title, note, header, rows) and widen ``widths`` to
    fit it. Returns the row of its column headers and the last row written."""
    frame = plain_frame(table)
    _heading(ws, row, table.title, size=12)
    row += 1
    if table.note:
        _put(ws, row, 1, table.note).font = ITALIC
        row += 1
    for col, name in enumerate(frame.columns, start=1):
        cell = _put(ws, row, col, name)
        cell.font, cell.fill, cell.border = BOLD, HEADER_FILL, HEADER_BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        widths[col] = max(widths.get(col, 0), min(len(name), 18))
    header_row = row
    if frame.empty:
        row += 1
        _put(ws, row, 1, "None in this period").font = ITALIC
    for cells in typed_rows(table, frame):
        row += 1
        for col, (value, kind) in enumerate(cells, start=1):
            if value == NO_BASE:  # no base by definition: an empty cell, not "n/a"
                continue
            shown = NOT_APPLICABLE if value is None else value
            cell = _put(ws, row, col, shown)
            if value is None or SUPPRESSED.match(str(value)):
                cell.alignment = RIGHT
            elif kind == NUMBER and 0 < abs(value) < 1:
                cell.number_format = SMALL_NUMBER_FORMAT
            elif kind in XLSX_FORMATS:
                cell.number_format = XLSX_FORMATS[kind]
            widths[col] = max(widths.get(col, 0), len(cell_text(value, kind)))
    return header_row, row


def _section_sheet(ws: Worksheet, section: Section, report: Report) -> None:
    """The section's title and period, then each of its tables, a blank row between them."""
    _heading(ws, 1, section.title)
    subject = report_subject(report.funder, [name for _, name in report.schemes])
    _put(ws, 2, 1, f"{period_text(report)} · {subject}").font = ITALIC
    widths: dict[int, int] = {}
    row = 4
    header_rows = []
    for table in section.tables:
        header_row, row = _write_table(ws, table, row, widths)
        header_rows.append(header_row)
        row += 2
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 10), 50)
    # One table: keep its column headers in view. Several: the headers of the first would
    # mislabel the tables below, so only the section's title and period stay in view.
    ws.freeze_panes = f"A{header_rows[0] + 1}" if len(header_rows) == 1 else "A3"


def to_xlsx(report: Report, progress: Progress | None = None) -> bytes:
    """A workbook: About, a sheet per section (its tables stacked), and Definitions."""
    tell = reporter(progress)
    check_aggregate(report)
    tell(0, "Building the workbook")
    book = Workbook()
    about = book.active
    about.title = ABOUT_SHEET
    used = {ABOUT_SHEET.lower(), DEFINITIONS_SHEET.lower()}
    _key_value_sheet(
        about,
        ["Item", "Value"],
        [*about_rows(report), ("Rates", "Shown as percentages, next to the counts behind them.")],
        [18, 90],
    )
    sections = report.sections
    for done, section in enumerate(sections):
        _section_sheet(
            book.create_sheet(_sheet_name(section.title or section.key, used)), section, report
        )
        tell(5 + 85 * (done + 1) // max(len(sections), 1), f"Wrote the {section.title} sheet")
    _key_value_sheet(
        book.create_sheet(DEFINITIONS_SHEET),
        ["Section", "Figure", "Definition"],
        definitions_frame(report)[["Section", "Figure", "Definition"]].itertuples(index=False),
        [22, 32, 90],
    )
    book.properties.title = f"Funder report, {period_text(report)}"
    book.properties.creator = "Tandem"
    buffer = io.BytesIO()
    book.save(buffer)
    tell(100, "Workbook ready")
    return buffer.getvalue()
