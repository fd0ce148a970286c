"""Excel workbooks as imports: a sheet per kind imported in order, all or nothing, and every
way a real spreadsheet goes wrong told in words that name the sheet and cell, writing nothing."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from openpyxl.styles import numbers

from home.importers import import_file
from home.tests.workbooks import (
    MENTEE_COLUMNS,
    ago,
    cohort,
    cohort_sheets,
    workbook,
)
from mentees.models import Mentee
from relationships.models import Meeting, Relationship
from schemes.models import Mentor


def run(world, data: bytes, kind: str = "workbook", dry_run: bool = False, filename: str = ""):
    return import_file(
        kind=kind,
        by=world.coordinator_a,
        scheme=world.scheme_a,
        data=data,
        dry_run=dry_run,
        filename=filename,
    )


def written() -> tuple[int, int, int, int]:
    return (
        Mentor.objects.filter(reference__startswith="HM-").count(),
        Mentee.objects.filter(reference__regex=r"^H[PR]-").count(),
        Relationship.objects.filter(mentee__reference__startswith="HP-").count(),
        Meeting.objects.filter(relationship__mentee__reference__startswith="HP-").count(),
    )


def mentee_sheet(*rows: list) -> dict[str, list[list]]:
    return {"mentees": [MENTEE_COLUMNS, *rows]}


def good_mentee(reference: str = "HR-00001", **changes) -> list:
    row = dict(
        zip(
            MENTEE_COLUMNS,
            [
                reference,
                "Pat",
                "Person",
                "prison",
                ago(700),
                "awaiting_match",
                ago(650),
                ago(660),
                "v1",
            ],
            strict=True,
        )
    )
    row.update(changes)
    return list(row.values())


def only_problem(outcome) -> str:
    assert not outcome.ok
    assert written() == (0, 0, 0, 0)
    return " | ".join(f"{p.sheet}!{p.cell or p.line}:{p.message}" for p in outcome.problems)


def test_a_workbook_with_a_sheet_per_kind_imports_in_order_all_at_once(world):
    """Mentors and mentees, then relationships, then meetings, whatever the sheets' order and
    case: the later sheets find the records the earlier ones brought in."""
    sheets = cohort_sheets()
    shuffled = {"Meetings": sheets["meetings"], "RELATIONSHIPS": sheets["relationships"]}
    shuffled |= {"mentees": sheets["mentees"], "Mentors ": sheets["mentors"]}
    outcome = run(world, workbook(shuffled))
    assert outcome.ok, outcome.problems
    assert [p.kind for p in outcome.parts] == ["mentors", "mentees", "relationships", "meetings"]
    assert [p.new for p in outcome.parts] == [3, 12, 6, 10]
    assert written() == (3, 12, 6, 10)


def test_a_check_counts_what_would_be_written_and_writes_nothing(world):
    """A dry run is the import rolled back: relationships count although their people are
    only in the same workbook."""
    outcome = run(world, cohort(), dry_run=True)
    assert outcome.ok and outcome.new == 31
    assert written() == (0, 0, 0, 0)


def test_one_bad_sheet_writes_nothing_from_any_sheet(world):
    """A problem in the meetings sheet keeps the mentors and mentees out too."""
    sheets = cohort_sheets()
    sheets["meetings"][1][6] = "pigeon"  # mode
    problems = only_problem(run(world, workbook(sheets)))
    assert "meetings!G2:" in problems and "pigeon" in problems


def test_a_later_sheet_waits_only_for_its_lookups_while_one_it_depends_on_has_problems(world):
    """A bad mentors sheet: relationships and meetings rows are still checked on their own,
    but their lookups of the mentors wait (they would only repeat that the mentor is
    missing), and the result says which sheets waited."""
    sheets = cohort_sheets()
    sheets["mentors"][1][0] = "bad reference!"
    outcome = run(world, workbook(sheets))
    only_problem(outcome)
    waited = {p.kind: p.waited for p in outcome.parts}
    assert waited == {"mentors": False, "mentees": False, "relationships": True, "meetings": True}
    assert [p.sheet for p in outcome.problems] == ["mentors"]


def test_importing_the_same_workbook_again_adds_nothing(world):
    """Every record of a workbook imported twice is already in Tandem the second time."""
    run(world, cohort())
    again = run(world, cohort())
    assert again.ok and again.new == 0 and written() == (3, 12, 6, 10)


def test_a_workbook_of_one_kind_takes_its_only_sheet_whatever_its_name(world):
    """A one-sheet workbook ("Sheet1") imports as the kind chosen."""
    outcome = run(world, workbook({"Sheet1": mentee_sheet(good_mentee())["mentees"]}), "mentees")
    assert outcome.ok and written() == (0, 1, 0, 0)


def test_a_wrong_sheet_names_the_sheets_the_workbook_has(world):
    """A sheet named for no kind is refused (a typo must not drop a sheet unread)."""
    sheets = cohort_sheets()
    data = workbook({"mentors": sheets["mentors"], "Meetngs": sheets["meetings"]})
    problems = only_problem(run(world, data))
    assert "The workbook has the sheets “mentors”, “Meetngs”." in problems
    assert "Rename or remove “Meetngs”" in problems


def test_a_missing_sheet_for_one_kind_names_the_sheets_there_are(world):
    """Several sheets and none named for the kind chosen: refused, listing the sheets the
    workbook has."""
    data = workbook({"People": [["reference"]], "Mentors": [["reference"]]})
    problems = only_problem(run(world, data, "mentees"))
    assert "The workbook has the sheets “People”, “Mentors”. Name the sheet to import" in problems


def test_merged_cells_are_refused_naming_the_sheet_and_range(world):
    """Merged cells (which read-only mode never reports) are found and refused, naming the
    range and how to unmerge."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "mentees"
    for row in mentee_sheet(good_mentee(), good_mentee("HR-00002"))["mentees"]:
        sheet.append(row)
    sheet.merge_cells("B2:C2")
    buffer = io.BytesIO()
    book.save(buffer)
    problems = only_problem(run(world, buffer.getvalue(), "mentees"))
    assert "mentees!0:The sheet has merged cells (B2:C2)" in problems
    assert "Unmerge Cells" in problems


def test_formulas_are_refused_by_cell_with_how_to_paste_values(world):
    """A formula is refused by its cell with how to paste values; the column's other formulas
    are named with it."""
    data = workbook(
        mentee_sheet(
            good_mentee(referred_on="=TODAY()-700"), good_mentee("HR-00002", referred_on="=A1")
        )
    )
    problems = only_problem(run(world, data, "mentees"))
    assert "mentees!E2:E2 holds a formula (=TODAY()-700)" in problems
    assert "Paste Special → Values" in problems and "The same in E3." in problems


def test_dates_typed_as_text_take_the_csv_formats(world):
    """A date typed as text in a workbook takes the same formats as a CSV file."""
    good = run(world, workbook(mentee_sheet(good_mentee(referred_on="31/03/2024"))), "mentees")
    assert good.ok, good.problems
    referral = Mentee.objects.get(reference="HR-00001").referrals.get()
    assert referral.referred_on.isoformat() == "2024-03-31"


def test_a_date_typed_as_other_text_is_explained(world):
    """Text that is not a date in either format gets the CSV file's message, at its cell."""
    bad = workbook(mentee_sheet(good_mentee("HR-00002", referred_on="March 31st 2024")))
    problems = only_problem(run(world, bad, "mentees"))
    assert "mentees!E2:Not a date. Write it as 2024-03-31 or 31/03/2024." in problems


def test_a_date_stored_as_a_plain_number_is_called_an_excel_serial_number(world):
    """45383 in a cell not formatted as a date: said, with the date it would be."""
    problems = only_problem(
        run(world, workbook(mentee_sheet(good_mentee(referred_on=45383))), "mentees")
    )
    assert "E2 holds the number 45383, not a date" in problems
    assert "2024-04-01" in problems and "Format Cells → Date" in problems


def test_empty_rows_anywhere_are_ignored_and_lines_stay_excels(world):
    """Empty rows above the header and between records are ignored, and problems keep the row
    numbers Excel shows."""
    rows = [[], MENTEE_COLUMNS, [], good_mentee(), [None] * 9, good_mentee("HR-00002", x=1)]
    problems = only_problem(run(world, workbook({"mentees": rows}), "mentees"))
    assert problems == "mentees!6:1 cell(s) beyond the last named column."


def test_a_reference_stored_as_a_number_is_refused_unless_its_format_shows_the_zeros(world):
    """00123 typed into a General cell is already 123 in the file: refused, never guessed.
    The same number formatted 00000 reads as Excel shows it, 00123."""
    problems = only_problem(run(world, workbook(mentee_sheet(good_mentee(123))), "mentees"))
    assert "A2 holds the number 123, not text" in problems and "leading zeros" in problems
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(MENTEE_COLUMNS)
    sheet.append(good_mentee(123))
    sheet["A2"].number_format = "00000"
    sheet["E2"].number_format = numbers.FORMAT_DATE_YYYYMMDD2
    buffer = io.BytesIO()
    book.save(buffer)
    assert run(world, buffer.getvalue(), "mentees").ok
    assert Mentee.objects.filter(reference="00123").exists()


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"PK\x03\x04 not really a zip", "cohort.xlsx", "cannot be read as an Excel workbook"),
        (b"reference,given_name\n", "cohort.xlsx", "named as an Excel workbook but is not one"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.xls", "older Excel file (.xls)"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"),
            "locked.xlsx",
            "protected with a password",
        ),
        (b"\x89PNG\r\n\x1a\n\0\0\0IHDR", "photo.png", "not UTF-8 text"),
    ],
    ids=["corrupt", "renamed-csv", "xls", "password", "not-a-spreadsheet"],
)
def test_a_file_that_is_not_a_workbook_says_what_it_is(world, data, filename, message):
    """A damaged, renamed, old, password-locked or foreign file is refused in words saying what
    it is and what to do."""
    assert message in only_problem(run(world, data, "mentees", filename=filename))


def test_an_opendocument_spreadsheet_is_asked_to_be_saved_as_xlsx(world):
    """An .ods file (also a zip) is named as such, not as a damaged workbook."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    assert "OpenDocument" in only_problem(run(world, buffer.getvalue(), "mentees"))


def test_a_sheet_past_the_row_limit_is_refused_before_it_is_checked(world, monkeypatch):
    """A sheet past the row limit is refused as it is read, before any row is checked."""
    monkeypatch.setattr("core.workbooks.MAX_ROWS", 3)
    rows = [good_mentee(f"HR-{i:05d}") for i in range(5)]
    problems = only_problem(run(world, workbook(mentee_sheet(*rows)), "mentees"))
    assert "more than 3 rows" in problems


def test_a_csv_file_cannot_be_everything(world):
    """A CSV file holds one kind: "Everything" asks for the kind or a workbook."""
    assert "A CSV file holds one kind" in only_problem(run(world, b"reference\nX\n"))


def test_time_and_number_cells_read_as_a_person_typing_them_would(world):
    """A time cell reads as 10:30 and a number cell as 30 (never 30.0): the cohort's first
    meeting, as its sheet holds it."""
    sheets = cohort_sheets(mentees=2, mentors=1, relationships=1, meetings=1)
    outcome = run(world, workbook(sheets))
    assert outcome.ok, outcome.problems
    assert sheets["meetings"][1][4:6] == [datetime.time(10, 30), 30]
    meeting = Meeting.objects.get(relationship__mentee__reference="HP-0002")
    assert meeting.duration_minutes == 30
    assert timezone_local(meeting.held_at).time() == datetime.time(10, 30)


def timezone_local(value: datetime.datetime) -> datetime.datetime:
    from django.utils import timezone

    return timezone.localtime(value)


def test_a_cell_showing_an_excel_error_is_refused_by_its_cell(world):
    """#N/A (a lookup that failed) is not a value: the cell is named."""
    problems = only_problem(
        run(world, workbook(mentee_sheet(good_mentee(referral_source="#N/A"))), "mentees")
    )
    assert "D2 shows Excel's error #N/A" in problems


def test_a_sheet_too_large_once_unpacked_is_refused_before_it_is_read(world, monkeypatch):
    """A small file that unpacks into a huge sheet (or a zip bomb) is refused unread."""
    monkeypatch.setattr("core.workbook_limits.MAX_UNPACKED_BYTES", 1000)
    rows = [good_mentee(f"HR-{i:05d}") for i in range(50)]
    problems = only_problem(run(world, workbook(mentee_sheet(*rows)), "mentees"))
    assert "too large to read" in problems
