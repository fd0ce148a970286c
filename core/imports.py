"""What every spreadsheet import shares: reading the file, checking its columns, checking
every row with a form, spotting duplicates, and a report a person can act on.

The rules (docs/import-format.md): nothing is written unless the whole file is valid, each
problem names its line and column, and rows whose reference is already in the scheme are
skipped, so importing the same file twice adds nothing twice.
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import QuerySet

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
MAX_ROWS = 20_000


@dataclass(frozen=True)
class Problem:
    line: int  # 1 is the header row; 0 is the file (or the sheet) as a whole
    column: str
    message: str
    sheet: str = ""  # the workbook's sheet, when the file is a workbook
    cell: str = ""  # the cell, e.g. D5, when the file is a workbook


@dataclass
class ImportReport:
    dry_run: bool
    rows: int = 0
    created: int = 0
    already_present: int = 0
    problems: list[Problem] = field(default_factory=list)
    #: The ids of the records written, by kind ("referrals", "relationships", "meetings"):
    #: exactly the import's own, whatever else is written meanwhile.
    written: dict[str, list[int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


EMPTY_COLUMN = "The “{column}” column is empty: every row needs a value in it."


class ImportFileError(Exception):
    """What is wrong with the file as a whole, or with the record on ``line`` (0: the file)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


def _unreadable(line: int, exc: csv.Error) -> ImportFileError:
    """The CSV reader's refusal of the record starting on ``line``, in the user's words."""
    if "field larger than field limit" in str(exc):
        return ImportFileError(
            f"A cell is longer than the {csv.field_size_limit():,} characters Tandem reads. "
            'Check for a missing closing quote mark ("), or shorten the cell.',
            line,
        )
    return ImportFileError(
        'This row cannot be read as CSV. Check its quote marks ("), or save the file again '
        "from the spreadsheet as “CSV UTF-8 (comma delimited)”.",
        line,
    )


#: How much of a cell's text a message repeats: enough to find the cell, never a whole note
#: (problems are kept with the job, and a cell may hold anything).
ECHO_CHARS = 40


def echoed(text: object) -> str:
    """``text`` as a message repeats it: cut to ``ECHO_CHARS`` characters, with an ellipsis."""
    text = str(text)
    return text if len(text) <= ECHO_CHARS else text[:ECHO_CHARS] + "…"


class CodeField(forms.ChoiceField):
    """A choice whose "not a known code" message repeats the cell's text cut short."""

    def validate(self, value: Any) -> None:
        try:
            super().validate(value)
        except forms.ValidationError as error:
            if error.code != "invalid_choice":
                raise
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": echoed(value)},
            ) from None


def code_field(choices: Iterable[tuple[str, str]], *, required: bool = False) -> forms.ChoiceField:
    """A column holding one of a set of codes, with a message that lists them."""
    choices = list(choices)
    codes = ", ".join(value for value, _ in choices)
    return CodeField(
        choices=[("", ""), *choices],
        required=required,
        error_messages={"invalid_choice": f"“%(value)s” is not a known code. Use one of: {codes}."},
    )


def date_field(required: bool = False) -> forms.DateField:
    return forms.DateField(
        required=required,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "Not a date. Write it as 2024-03-31 or 31/03/2024."},
    )


def reference_field() -> forms.RegexField:
    return forms.RegexField(
        regex=r"^[A-Za-z0-9][A-Za-z0-9/_-]{0,19}$",
        error_messages={"invalid": "Use up to 20 letters, digits, '-', '_' or '/'."},
    )


@dataclass(frozen=True)
class Row:
    line: int  # the line the record starts on, as a spreadsheet shows it
    cells: dict[str, Any]  # text from a CSV file; typed values from a workbook's sheet
    extra: int  # cells beyond the header's columns
    #: Columns whose cell could not be read as a value (a formula, say), already reported:
    #: the rest of the row is checked, and the row is never imported.
    unread: frozenset[str] = frozenset()


#: Told how many of a table's rows have been checked, of how many.
RowProgress = Callable[[int, int], None]


@dataclass
class Table:
    """A file or sheet already read: what an importer's ``data`` may be instead of CSV bytes.

    A workbook's sheet keeps each cell's type: its ``as_text`` (``core.workbooks``) turns
    its rows into text with the row form's knowledge of which columns are dates, reporting
    the cells that cannot be.
    """

    header: list[str]
    rows: list[Row]
    name: str = ""  # the sheet's name; "" for a CSV file
    letters: dict[str, str] = field(default_factory=dict)  # column name -> Excel letter
    as_text: Callable[[type[forms.Form]], tuple[list[Row], list[Problem]]] | None = None
    progress: RowProgress | None = None
    #: What is wrong with how the sheet is kept (merged cells, say), found as it was read.
    problems: list[Problem] = field(default_factory=list)


#: What an importer's ``data`` may be: a CSV file's bytes, or a file or sheet already read.
ImportData = bytes | Table
#: Rows checked between two reports of progress.
PROGRESS_EVERY = 250


def read_rows(data: bytes) -> tuple[list[str], list[Row]]:
    """The header and rows of a CSV file, or ImportFileError saying what is wrong with it."""
    if not data.strip():
        raise ImportFileError("The file is empty.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "The file is not UTF-8 text. In Excel, use Save As → “CSV UTF-8 (comma delimited)”."
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration as exc:
        raise ImportFileError("The file is empty.") from exc
    except csv.Error as exc:
        raise _unreadable(1, exc) from exc
    # Spreadsheets often save empty columns after the last real one; they carry nothing.
    while header and not header[-1]:
        header.pop()
    rows = []
    line = reader.line_num + 1
    records = iter(reader)
    while True:
        try:
            cells = next(records)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _unreadable(line, exc) from exc
        values = [c.strip() for c in cells]
        if any(values):
            rows.append(
                Row(
                    line=line,
                    cells=dict(zip(header, values, strict=False)),
                    extra=sum(1 for v in values[len(header) :] if v),
                )
            )
        line = reader.line_num + 1
    if not rows:
        raise ImportFileError("The file has a header row but no records.")
    if len(rows) > MAX_ROWS:
        raise ImportFileError(
            f"The file has {len(rows):,} rows; split it into files of {MAX_ROWS:,}."
        )
    return header, rows


def check_rows(
    data: ImportData,
    *,
    required: list[str],
    optional: list[str],
    row_form: type[forms.Form],
    refused: dict[str, str] | None = None,
) -> tuple[ImportReport, list[tuple[int, dict[str, Any]]]]:
    """Read the file, check its columns and check every row with ``row_form``.

    Returns the report and each valid row's cleaned data with its line. ``refused`` names
    columns that must never be in a file, with the reason (e.g. private notes).
    """
    report = ImportReport(dry_run=True)
    table = data if isinstance(data, Table) else None
    if isinstance(data, Table):
        header, rows = data.header, data.rows
    else:
        try:
            header, rows = read_rows(data)
        except ImportFileError as exc:
            report.problems.append(Problem(exc.line, "", str(exc)))
            return report, []
    report.rows = len(rows)
    for column, reason in (refused or {}).items():
        if column in header:
            report.problems.append(Problem(1, column, reason))
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in required + optional and c not in (refused or {})]
    if missing:
        report.problems.append(Problem(1, "", f"Missing columns: {', '.join(missing)}."))
    if unknown:
        report.problems.append(
            Problem(
                1, "", f"Unknown columns: {', '.join(map(echoed, unknown))}. Check the spelling."
            )
        )
    if len(set(header)) != len(header):
        report.problems.append(Problem(1, "", "A column name appears twice."))
    if report.problems:
        return report, []

    if "" in header:
        report.problems.append(Problem(1, "", "A column has no name in the header row."))
        return report, []
    if table is not None and table.as_text is not None:
        rows, cell_problems = table.as_text(row_form)
        report.problems.extend(cell_problems)
    tell = table.progress if table is not None else None
    cleaned: list[tuple[int, dict[str, Any]]] = []
    for done, row in enumerate(rows):
        if tell is not None and done % PROGRESS_EVERY == 0:
            tell(done, len(rows))
        if row.extra:
            report.problems.append(
                Problem(row.line, "", f"{row.extra} cell(s) beyond the last named column.")
            )
        form = row_form(data=row.cells)
        if not form.is_valid():
            for column, errors in form.errors.as_data().items():
                column_name = "" if column == "__all__" else column
                if column_name in row.unread:
                    continue  # the cell is already reported as unreadable
                for error in errors:
                    # A form's "Select initiated by" names a field, not the file's column.
                    if error.code == "required" and column_name:
                        message = EMPTY_COLUMN.format(column=column_name)
                    else:
                        message = " ".join(error.messages)
                    report.problems.append(Problem(row.line, column_name, message))
            continue
        if row.extra or row.unread:
            continue  # reported above; the rest of the row was checked all the same
        cleaned.append((row.line, form.cleaned_data))
    return report, cleaned


def check_file(
    data: ImportData,
    *,
    required: list[str],
    optional: list[str],
    row_form: type[forms.Form],
    in_scheme: QuerySet,
) -> tuple[ImportReport, list[dict[str, Any]]]:
    """Check every row; return the report and the cleaned rows not yet in Tandem.

    ``in_scheme`` is the scheme's records of this kind; a row whose reference is among them
    is already in Tandem and is skipped.
    """
    report, rows = check_rows(data, required=required, optional=optional, row_form=row_form)
    if not rows:
        return report, []
    references = [r["reference"] for _, r in rows]
    already = set(in_scheme.filter(reference__in=references).values_list("reference", flat=True))
    seen: dict[str, int] = {}
    cleaned: list[dict[str, Any]] = []
    for line, data_ in rows:
        reference = data_["reference"]
        if reference in seen:
            report.problems.append(
                Problem(line, "reference", f"{reference} is also on line {seen[reference]}.")
            )
            continue
        seen[reference] = line
        if reference in already:
            report.already_present += 1
            continue
        cleaned.append(data_)
    return report, cleaned
