"""Reading an Excel workbook (XLSX) for an import, with openpyxl in read-only mode.

The rules (docs/import-format.md, "Excel workbooks"): a sheet's first non-empty row names its
columns, as in a CSV file, and each later row is a record; line numbers are the rows Excel
shows. Everything openpyxl's read-only mode would quietly get wrong is refused in words
instead: a password or a damaged file, merged cells (read-only mode does not report them, so
the sheet's XML is scanned for them), formulas (never calculated here), and a sheet past the
size Tandem reads. Cells keep their type here; ``cells_as_text`` turns them into the text the
row forms read, knowing which columns hold dates and which hold references.
"""

import datetime
import functools
import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import openpyxl
from django import forms
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from core.imports import MAX_ROWS, ImportFileError, Problem, Row, Table, echoed
from core.workbook_limits import MAX_COLUMNS, check_parts, scan_sheet

logger = logging.getLogger(__name__)
ZIP_MAGIC = b"PK\x03\x04"
#: The container of an old .xls file, and of an XLSX file locked with a password.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: How many cells a message about a whole column lists.
CELLS_LISTED = 3

SAVE_AS_XLSX = "In Excel, use Save As → “Excel Workbook (.xlsx)”."
WIDE = (
    "The sheet has a cell in column {letter}, wider than any import reads "
    f"(at most {MAX_COLUMNS} columns). Delete the columns after the last one named in the "
    "header row (select them, then Delete), save the workbook and upload it again."
)


@dataclass(frozen=True)
class Formula:
    """A cell holding a formula: Tandem never calculates one, so it is refused."""

    text: str


@dataclass(frozen=True)
class CellError:
    """A cell showing one of Excel's errors (#N/A, #REF!...)."""

    code: str


def looks_like_workbook(data: bytes) -> bool:
    """An XLSX file (a zip) or an Excel container (old .xls, or a password-locked workbook)."""
    return data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC)


def _refuse_containers(data: bytes) -> None:
    if data.startswith(OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise ImportFileError(
                "The workbook is protected with a password, so Tandem cannot read it. Open it "
                "in Excel, remove the password (File → Info → Protect Workbook → Encrypt with "
                "Password, and clear it), save it and upload it again."
            )
        raise ImportFileError(
            "This is an older Excel file (.xls), which Tandem does not read. " + SAVE_AS_XLSX
        )


class UploadedWorkbook:
    """An XLSX file, opened once; its sheets read one at a time as they are needed."""

    def __init__(self, data: bytes) -> None:
        _refuse_containers(data)
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            if "mimetype" in self._zip.namelist():
                raise ImportFileError(
                    "This looks like an OpenDocument spreadsheet (.ods), not an Excel workbook. "
                    + SAVE_AS_XLSX
                )
            check_parts(self._zip)
            self._book = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=False, keep_links=False
            )
        except ImportFileError:
            raise
        except Exception as exc:  # openpyxl and zipfile raise many kinds for a damaged file
            raise ImportFileError(
                "The file cannot be read as an Excel workbook: it may be damaged, or be "
                "another kind of file renamed. Open it in Excel and save it again as "
                "“Excel Workbook (.xlsx)”, or save it as CSV UTF-8."
            ) from exc

    @property
    def sheet_names(self) -> list[str]:
        return [ws.title for ws in self._book.worksheets]

    def close(self) -> None:
        self._book.close()
        self._zip.close()

    def sheet(self, name: str) -> Table:
        """Sheet ``name`` as a table of typed cells, or ImportFileError saying what is wrong.

        openpyxl reads a sheet only as its rows are asked for, so a damaged sheet shows here,
        as whatever its XML parser or number reader raises. That is said in words, and logged
        by its type alone: its message may quote a cell."""
        try:
            return self._sheet(name)
        except ImportFileError:
            raise
        except Exception as exc:  # a damaged sheet raises many kinds
            logger.warning("An uploaded workbook's sheet is damaged: %s", type(exc).__name__)
            raise ImportFileError(
                "This sheet cannot be read as part of an Excel workbook: it may be damaged. "
                "Open the file in Excel and save it again as “Excel Workbook (.xlsx)”, or save "
                "the sheet as CSV UTF-8."
            ) from None

    def _sheet(self, name: str) -> Table:
        """The sheet read as far as it can be, with what is wrong with how it is kept (merged
        cells, a stray cell too far right) as problems alongside, so that one check reports
        them with every other problem in the workbook rather than stopping at them."""
        merged, widest = scan_sheet(self._zip, self._book[name]._worksheet_path.lstrip("/"))
        found: list[Problem] = []
        if widest > MAX_COLUMNS:
            found.append(_whole_sheet(WIDE.format(letter=get_column_letter(widest)), name))
        if merged:
            listed = ", ".join(merged[:CELLS_LISTED])
            more = f" and {len(merged) - CELLS_LISTED} more" if len(merged) > CELLS_LISTED else ""
            found.append(
                _whole_sheet(
                    f"The sheet has merged cells ({listed}{more}). Tandem reads one value a "
                    "cell: unmerge them (Home → Merge & Center → Unmerge Cells), fill in every "
                    "cell, and upload the workbook again.",
                    name,
                )
            )
        worksheet = self._book[name]
        worksheet.reset_dimensions()  # trust the cells, not a size the file may misstate
        header: list[str] | None = None
        rows: list[Row] = []
        # A sheet known to be too wide is read to its last column Tandem reads, so a stray
        # cell in column XFD does not pad each row to 16,384 cells.
        widths = {"max_col": MAX_COLUMNS} if widest > MAX_COLUMNS else {}
        for line, cells in enumerate(worksheet.iter_rows(min_row=1, **widths), start=1):
            # Cells without a reference, not seen by the scan: said once, and cut off.
            if len(cells) > MAX_COLUMNS and widest <= MAX_COLUMNS:
                letter = get_column_letter(min(len(cells), 16384))
                found.append(_whole_sheet(WIDE.format(letter=letter), name))
                widest = len(cells)
            values = [_value(cell) for cell in cells[:MAX_COLUMNS]]
            while values and values[-1] is None:
                values.pop()
            if not values:
                continue  # an empty row: ignored, wherever it is
            if header is None:
                header = [_header_name(v) for v in values]
                while header and not header[-1]:
                    header.pop()
                continue
            rows.append(
                Row(
                    line=line,
                    cells=dict(zip(header, values, strict=False)),
                    extra=sum(1 for v in values[len(header) :] if v is not None),
                )
            )
            if len(rows) > MAX_ROWS:
                raise ImportFileError(
                    f"The sheet has more than {MAX_ROWS:,} rows; split it into sheets or files "
                    f"of at most {MAX_ROWS:,}."
                )
        if header is None:
            raise ImportFileError("The sheet is empty.")
        if not rows:
            raise ImportFileError("The sheet has a header row but no records.")
        letters = {column: get_column_letter(i) for i, column in enumerate(header, start=1)}
        table = Table(header=header, rows=rows, name=name, letters=letters, problems=found)
        table.as_text = functools.partial(cells_as_text, table)
        return table


def _whole_sheet(message: str, sheet: str) -> Problem:
    return Problem(0, "", message, sheet=sheet)


def _header_name(value: object) -> str:
    if value is None or isinstance(value, (Formula, CellError)):
        return "" if value is None else "?"
    return str(value).strip().lower()


ONLY_ZEROS = re.compile(r"^0+$")


def _value(cell: Any) -> object:
    """A cell's value with its type kept: None for an empty cell; a number whose format pads
    it with zeros (00000) as the text Excel shows (00123), so no leading zero is lost."""
    value = cell.value
    kind = getattr(cell, "data_type", None)
    if value is None:
        return None
    if kind == "f":
        return Formula(str(value))
    if kind == "e":
        return CellError(str(value))
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        number_format = str(getattr(cell, "number_format", "") or "")
        if ONLY_ZEROS.match(number_format) and float(value).is_integer():
            return f"{int(value):0{len(number_format)}d}"
        return value
    return value


# --- Typed cells to the text the row forms read ---------------------------------------------

FORMULA = (
    "{cell} holds a formula ({text}), not a value. Tandem does not calculate formulas: copy "
    "the sheet and use Paste Special → Values, then upload it again."
)
ERROR = "{cell} shows Excel's error {text}. Correct the cell, or clear it."
SERIAL = (
    "{cell} holds the number {text}, not a date: the cell is not formatted as a date (as a date "
    "Excel would show {as_date}). Format the column as a date (Format Cells → Date), or type "
    "dates as 2024-03-31 or 31/03/2024."
)
TIME_NUMBER = (
    "{cell} holds the number {text}, not a time. Format the column as a time (Format Cells → "
    "Time), or type times as 14:30."
)
DIGITS = (
    "{cell} holds the number {text}, not text. A reference or phone number stored as a number "
    "loses its leading zeros (00123 becomes 123), so Tandem does not guess. Format the column "
    "as Text and type the values again, or give it a custom number format of zeros (0, or "
    "00000 for five digits), which Tandem reads as Excel shows it."
)


def _is_digits_column(name: str) -> bool:
    """Columns whose values are identifiers, where a lost leading zero changes who is meant."""
    return name.endswith("reference") or name == "phone"


def _number_text(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _as_date(value: float | int) -> str:
    try:
        return from_excel(value).date().isoformat()
    except (ValueError, OverflowError, TypeError):
        return "no real date"


def _text(value: object, column: str, field: forms.Field | None) -> tuple[str, str | None]:
    """The cell as text for the row form, or ("", the reason it cannot be)."""
    if value is None:
        return "", None
    if isinstance(value, Formula):
        return "", FORMULA
    if isinstance(value, CellError):
        return "", ERROR
    if isinstance(value, bool):
        return ("yes" if value else "no"), None
    if isinstance(value, datetime.datetime):
        if isinstance(field, forms.TimeField):
            return value.strftime("%H:%M"), None
        if isinstance(field, forms.DateField) or value.time() == datetime.time(0):
            return value.date().isoformat(), None
        return value.strftime("%Y-%m-%d %H:%M"), None
    if isinstance(value, datetime.date):
        return value.isoformat(), None
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M" if not value.second else "%H:%M:%S"), None
    if isinstance(value, (int, float)):
        if isinstance(field, forms.DateField):
            return "", SERIAL
        if isinstance(field, forms.TimeField):
            return "", TIME_NUMBER
        if _is_digits_column(column):
            return "", DIGITS
        return _number_text(value), None
    return str(value), None


def _shown(value: object) -> str:
    if isinstance(value, (Formula, CellError)):
        return echoed(value.text if isinstance(value, Formula) else value.code)
    if isinstance(value, (int, float)):
        return _number_text(value)
    return echoed(value)


def cells_as_text(table: Table, row_form: type[forms.Form]) -> tuple[list[Row], list[Problem]]:
    """Each row's cells as the text a CSV file would give, and the cells that cannot be: a
    formula, an error, a number where a date, a time or a reference belongs. Those are
    reported once per column and kind (naming the first cells), not once per cell, because
    one fix (formatting the column) mends them all. Their rows are still checked, for
    everything but those cells (``Row.unread``), so one check reports the rest of each row."""
    fields = row_form.base_fields
    found: dict[tuple[str, str], list[tuple[int, object]]] = {}
    rows: list[Row] = []
    for row in table.rows:
        texts: dict[str, str] = {}
        unread: set[str] = set()
        for column, value in row.cells.items():
            text, reason = _text(value, column, fields.get(column))
            if reason is not None:
                found.setdefault((column, reason), []).append((row.line, value))
                unread.add(column)
            texts[column] = text
        rows.append(Row(line=row.line, cells=texts, extra=row.extra, unread=frozenset(unread)))
    problems = []
    for (column, reason), cells in found.items():
        line, value = cells[0]
        cell = f"{table.letters.get(column, '')}{line}"
        message = reason.format(
            cell=cell,
            text=_shown(value),
            as_date=_as_date(value) if isinstance(value, (int, float)) else "",
        )
        if len(cells) > 1:
            others = [f"{table.letters.get(column, '')}{n}" for n, _ in cells[1:CELLS_LISTED]]
            more = len(cells) - 1 - len(others)
            message += " The same in " + ", ".join(others)
            message += f" and {more:,} more cells." if more else "."
        problems.append(Problem(line, column, message, cell=cell))
    problems.sort(key=lambda p: p.line)
    return rows, problems


def iter_sheets(
    workbook: UploadedWorkbook, names: list[str]
) -> Iterator[tuple[str, Table | Problem]]:
    """Each named sheet read, or the problem that stops it (named by the sheet)."""
    for name in names:
        try:
            yield name, workbook.sheet(name)
        except ImportFileError as exc:
            yield name, Problem(exc.line, "", str(exc), sheet=name)
