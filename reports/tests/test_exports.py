"""The export files a funder, a trustee or a script receives, checked as they would open them.

No database: every test works on a hand-built Report (``sample.py``).
"""

import io
import shutil
import subprocess
import zipfile

import openpyxl
import pandas as pd
import pytest

from reports.exports.common import PersonalDataError
from reports.exports.csv_zip import csv_file_names, to_csv_zip
from reports.exports.pdf import to_pdf
from reports.exports.xlsx import to_xlsx
from reports.report import Section, Table, rate
from reports.tests.sample import sample_report

FREE_TEXT = "Zanzibar-quokka-7731 said he slept rough"  # would only appear if a note leaked


@pytest.fixture
def report():
    return sample_report()


def _rows_by_first_cell(sheet) -> dict:
    return {row[0].value: row for row in sheet.iter_rows() if row[0].value is not None}


# --- CSV ----------------------------------------------------------------------------------
EXPECTED_CSV = [
    "funnel__stages.csv",
    "funnel__by_source.csv",
    "funnel__by_scheme.csv",
    "funnel__by_gender.csv",
    "timeliness__days.csv",
    "contact__hours.csv",
    "contact__by_mode.csv",
    "contact__monthly.csv",
    "relationships__summary.csv",
    "relationships__closures.csv",
    "relationships__empty.csv",
    "outcomes__goals_by_domain.csv",
    "outcomes__distance.csv",
    "mentors__pipeline.csv",
    "definitions.csv",
    "about.csv",
]


def test_csv_zip_holds_one_file_per_table_plus_definitions_and_about(report):
    """The zip holds exactly the documented files, named section__table.csv."""
    archive = zipfile.ZipFile(io.BytesIO(to_csv_zip(report)))
    assert archive.namelist() == EXPECTED_CSV == csv_file_names(report)


def test_csv_files_start_with_a_byte_order_mark_so_excel_reads_utf8(report):
    archive = zipfile.ZipFile(io.BytesIO(to_csv_zip(report)))
    for name in archive.namelist():
        assert archive.read(name).startswith("\ufeff".encode()), name


def test_csv_round_trips_through_pandas_with_rates_as_decimals_and_na(report):
    """Counts come back as they were, rates as fractions of 1 beside them, None as n/a."""
    archive = zipfile.ZipFile(io.BytesIO(to_csv_zip(report)))
    with archive.open("funnel__stages.csv") as f:
        stages = pd.read_csv(f, encoding="utf-8-sig", na_values=["n/a"], keep_default_na=False)
    original = report.section("funnel").tables[0].frame
    assert list(stages.columns) == list(original.columns)
    assert stages["People"].tolist() == original["People"].tolist()
    assert stages["Share of referred"].tolist() == pytest.approx(
        original["Share of referred"].tolist(), abs=5e-5
    )
    assert pd.isna(stages.loc[0, "Conversion from previous stage"])  # nothing before referral
    assert stages.loc[4, "Conversion from previous stage"] == pytest.approx(4 / 6, abs=5e-5)

    raw = archive.read("funnel__by_source.csv").decode("utf-8-sig").splitlines()
    assert raw[-1] == "Self-referral,0,0,0,n/a"  # nobody referred: a rate of n/a, not 0


def test_csv_keeps_suppressed_counts_and_empty_tables(report):
    archive = zipfile.ZipFile(io.BytesIO(to_csv_zip(report)))
    gender = archive.read("funnel__by_gender.csv").decode("utf-8-sig").splitlines()
    assert gender[2] == "Woman,47,<5"
    assert archive.read("relationships__empty.csv").decode("utf-8-sig").strip() == "Reason,Paused"


def test_csv_about_and_definitions_say_what_the_report_covers(report):
    archive = zipfile.ZipFile(io.BytesIO(to_csv_zip(report)))
    about = pd.read_csv(archive.open("about.csv"), encoding="utf-8-sig").set_index("Item")
    assert about.loc["Period from", "Value"] == "2025-04-01"
    assert about.loc["Period to", "Value"] == "2026-03-31"
    assert about.loc["Schemes", "Value"] == "Northgate Resettlement; Riverside Bail Support"
    assert "decimal fractions" in about.loc["Rates", "Value"]
    assert about.loc["outcomes__distance.csv", "Value"] == "Outcomes: Distance travelled by domain"
    definitions = pd.read_csv(archive.open("definitions.csv"), encoding="utf-8-sig")
    assert list(definitions.columns) == ["Section key", "Section", "Figure", "Definition"]
    referred = definitions[definitions["Figure"] == "Referred"].iloc[0]
    assert referred["Section key"] == "funnel"
    assert referred["Definition"].startswith("People whose referral")


# --- XLSX ---------------------------------------------------------------------------------
def test_xlsx_has_about_a_sheet_per_section_and_definitions(report):
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    assert book.sheetnames == [
        "About",
        "The funnel",
        "Timeliness",
        "Contact time",
        "Relationships",
        "Outcomes",
        "Mentors",
        "Definitions",
    ]


def test_xlsx_counts_rates_and_hours_have_real_number_formats(report):
    """A funder can sum and chart the cells: numbers stay numbers, formatted as such."""
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    funnel = _rows_by_first_cell(book["The funnel"])
    header = [c.value for c in funnel["Stage"]]
    consented = funnel["Consented"]
    people, share = header.index("People"), header.index("Share of referred")
    assert consented[people].value == 150
    assert consented[people].number_format == "#,##0"
    assert consented[share].value == pytest.approx(0.75)
    assert consented[share].number_format == "0.0%"

    mentors = _rows_by_first_cell(book["Mentors"])
    columns = [c.value for c in mentors["Scheme"]]
    hours = mentors["Northgate Resettlement"][columns.index("Volunteer hours")]
    assert hours.value == pytest.approx(1234.5)
    assert hours.number_format == "0.0"


def test_xlsx_shows_na_for_a_rate_with_nothing_to_divide_by(report):
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    funnel = _rows_by_first_cell(book["The funnel"])
    assert funnel["Referred"][2].value == "n/a"  # conversion into the first stage
    assert funnel["Self-referral"][4].value == "n/a"  # nobody self-referred
    assert funnel["Woman"][2].value == "<5"  # suppressed counts stay suppressed
    outcomes = _rows_by_first_cell(book["Outcomes"])
    assert [c.value for c in outcomes["Family and relationships"]][2:5] == ["n/a"] * 3


def test_xlsx_freezes_the_header_rows(report):
    """One table: its column headers stay in view. Several: the section title and period."""
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    mentors = book["Mentors"]
    assert mentors.freeze_panes == "A6"
    assert mentors["A5"].value == "Scheme" and mentors["A5"].font.b
    assert book["The funnel"].freeze_panes == "A3"
    assert book["The funnel"]["A1"].value == "The funnel"
    assert book["Definitions"].freeze_panes == "A2"
    assert book["About"].freeze_panes == "A2"


def test_xlsx_tables_have_bold_titles_and_readable_widths(report):
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    sheet = book["Outcomes"]
    titles = [c for c in sheet["A"] if c.value == "Distance travelled by domain"]
    assert titles and titles[0].font.b
    assert sheet.column_dimensions["A"].width >= len("Education, training and employment")
    about = _rows_by_first_cell(book["About"])
    assert about["Period from"][1].value == "2025-04-01"
    assert about["Schemes"][1].value == "Northgate Resettlement; Riverside Bail Support"


# --- PDF ----------------------------------------------------------------------------------
@pytest.fixture
def poppler():
    """Run a poppler-utils tool (pdftoppm, pdftotext, pdfinfo) and return what it printed."""
    if not (shutil.which("pdftoppm") and shutil.which("pdftotext")):
        pytest.fail("poppler-utils missing: scripts/with-services installs it (make test)")

    def run(tool: str, *args) -> str:
        command = [shutil.which(tool), *map(str, args)]
        result = subprocess.run(  # noqa: S603 (our own fixed arguments)
            command, check=True, capture_output=True, text=True
        )
        return result.stdout

    return run


# The PDF's own tests are in test_pdf.py.


# --- All three ----------------------------------------------------------------------------
WRITERS = [to_csv_zip, to_xlsx, to_pdf]


@pytest.mark.parametrize("writer", WRITERS)
def test_a_table_with_a_notes_column_is_refused_before_anything_is_written(report, writer):
    """If personal free text ever slipped into a table, no file carries it to a funder."""
    leaked = pd.DataFrame({"Reason": ["Other"], "Closure notes": [FREE_TEXT]})
    report.section("relationships").tables.append(Table("leak", "Leak", leaked))
    calls = []
    with pytest.raises(PersonalDataError, match="Closure notes"):
        writer(report, progress=lambda p, m: calls.append(p))
    assert calls == []


@pytest.mark.parametrize("writer", WRITERS)
def test_progress_is_reported_from_0_to_100_in_order(report, writer):
    calls = []
    writer(report, progress=lambda percent, message: calls.append((percent, message)))
    percents = [p for p, _ in calls]
    assert percents[0] == 0 and percents[-1] == 100
    assert percents == sorted(percents)
    assert all(message for _, message in calls)


def _national(report):
    """A one-year all-schemes national report: 300 schemes, rows in every table."""
    schemes = [f"Scheme {n}" for n in range(300)]
    frame = pd.DataFrame(
        {
            "Scheme": schemes,
            **{f"Stage {k}": [n * k for n in range(300)] for k in range(8)},
            "Share": [rate(n, n + n % 3) for n in range(300)],
        }
    )
    report.schemes = list(enumerate(schemes))
    for section in report.sections:
        section.tables.append(Table("by_scheme_big", "By scheme", frame.copy(), ["Share"]))
    report.sections.append(Section("flags", "Flags", {}, [Table("t", "All", frame, ["Share"])]))
    return report


@pytest.mark.slow
@pytest.mark.parametrize("writer", WRITERS)
def test_a_national_report_exports_every_row(report, writer, request, tmp_path):
    """A one-year all-schemes national report (300 schemes a table) exports whole: the last
    scheme's row reaches the file.

    How long it takes is measured by `make bench-report` (scripts/bench-report), which prints
    each format's time beside its target (an XLSX under 60 s): a time limit here would fail on
    a busy machine with nothing wrong, and pass on a fast one that hides a slow export."""
    data = writer(_national(report))
    assert len(data) > 10_000
    if writer is to_csv_zip:
        flags = zipfile.ZipFile(io.BytesIO(data)).read("flags__t.csv").decode("utf-8-sig")
        assert len(flags.splitlines()) == 301
        assert flags.splitlines()[-1].startswith("Scheme 299,")
    elif writer is to_xlsx:
        sheet = openpyxl.load_workbook(io.BytesIO(data))["Flags"]
        assert "Scheme 299" in [row[0] for row in sheet.iter_rows(values_only=True)]
    else:
        pdf = tmp_path / "national.pdf"
        pdf.write_bytes(data)
        assert "Scheme 299" in request.getfixturevalue("poppler")("pdftotext", pdf, "-")


# --- Formulas ---------------------------------------------------------------------------------
FORMULA_SCHEME = '=HYPERLINK("http://evil.example","Open me")'


def test_text_a_spreadsheet_would_run_is_made_inert_in_every_export():
    """A scheme or funder name typed as a formula reaches the CSV and the XLSX as plain text
    (in the CSV a leading apostrophe; in the XLSX the text as typed with Excel's quote-prefix
    style), never as a formula a funder's spreadsheet would run."""
    report = sample_report()
    report.schemes = [(1, FORMULA_SCHEME), *report.schemes[1:]]
    report.funder = "@SUM(1,2)"

    with zipfile.ZipFile(io.BytesIO(to_csv_zip(report))) as archive:
        about = archive.read("about.csv").decode("utf-8-sig")
    assert f"'{FORMULA_SCHEME}".replace('"', '""') in about
    assert "'@SUM(1,2)" in about
    assert "\n=" not in about and ",=" not in about and ",@" not in about

    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "no cell is a formula"
    by_text = {c.value: c for c in cells if isinstance(c.value, str)}
    assert by_text["@SUM(1,2)"].quotePrefix and by_text["@SUM(1,2)"].data_type == "s"
    hyperlinks = [c for t, c in by_text.items() if t.startswith("=HYPERLINK")]
    assert hyperlinks and all(c.quotePrefix and c.data_type == "s" for c in hyperlinks)
    assert not [t for t in by_text if t.startswith("'")]
