"""One check reports every problem it can know of: each sheet's cell-level problems and each
row's own problems on every sheet, whatever the sheets before it hold; only the lookups of
records an earlier sheet with problems would have brought wait, and the page and the
command say which waited and why."""

import io
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from conftest import client_for
from home.importers import WAITED, import_file
from home.models import ImportJob
from home.tests.importing import page, upload
from home.tests.workbooks import cohort_sheets, workbook
from mentees.models import Mentee
from relationships.models import Meeting, Relationship
from schemes.models import Mentor

#: Mentors' columns the cohort's sheet lacks, so the sheet reaches column M as the newcomer's.
MORE_MENTOR_COLUMNS = ["given_name", "family_name", "email", "phone", "home_area", "languages"]
MORE_MENTOR_COLUMNS += ["interests"]


def newcomers_workbook() -> bytes:
    """The newcomer's workbook: a merged range on mentors (L2:M2), a date typed as a number
    on mentees (E3 = 44106, status_changed_on) and a formula on meetings (F3 = 30+15, the
    duration); every other cell is fine."""
    sheets = cohort_sheets()
    mentors = sheets["mentors"]
    mentors[0] += MORE_MENTOR_COLUMNS
    for row in mentors[1:]:
        row += ["", "", "", "", "", "English", "Football"]
    assert mentors[0][11:13] == ["languages", "interests"]  # columns L and M
    assert sheets["mentees"][0][4] == "status_changed_on"  # column E
    assert sheets["meetings"][0][5] == "duration_minutes"  # column F
    book = openpyxl.load_workbook(io.BytesIO(workbook(sheets)))
    book["mentors"].merge_cells("L2:M2")
    book["mentees"]["E3"] = 44106
    book["mentees"]["E3"].number_format = "General"  # a plain number, not formatted as a date
    book["meetings"]["F3"] = "=30+15"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def check(world, data: bytes) -> Any:
    return import_file(
        kind="workbook", by=world.coordinator_a, scheme=world.scheme_a, data=data, dry_run=True
    )


def nothing_written() -> bool:
    return not (
        Mentor.objects.filter(reference__startswith="HM-").exists()
        or Mentee.objects.filter(reference__startswith="HP-").exists()
        or Relationship.objects.filter(mentee__reference__startswith="HP-").exists()
        or Meeting.objects.filter(relationship__mentee__reference__startswith="HP-").exists()
    )


def test_one_check_names_all_three_of_the_newcomers_problems(world):
    """The merged cells, the date typed as a number and the formula, on three sheets, are
    all named by the first check: nothing else, and nothing written."""
    outcome = check(world, newcomers_workbook())
    found = [(p.sheet, p.cell or p.line) for p in outcome.problems]
    assert found == [("mentors", 0), ("mentees", "E3"), ("meetings", "F3")]
    merged, date, formula = (p.message for p in outcome.problems)
    assert "merged cells (L2:M2)" in merged
    assert "holds the number 44106, not a date" in date and "2020-10-02" in date
    assert "holds a formula (=30+15)" in formula
    assert nothing_written()


def test_the_import_itself_also_names_all_three_and_writes_nothing(world):
    """Without the dry run the same three problems are found, and nothing of any sheet is
    written."""
    outcome = import_file(
        kind="workbook",
        by=world.coordinator_a,
        scheme=world.scheme_a,
        data=newcomers_workbook(),
        dry_run=False,
    )
    assert [p.sheet for p in outcome.problems] == ["mentors", "mentees", "meetings"]
    assert outcome.new == 0 and nothing_written()


def test_a_mentees_problem_still_reports_the_meetings_rows_own_problems(world):
    """A bad referral source on the mentees sheet: the meetings rows are still checked on
    their own (a blank duration, an unknown mode), while whether their people and
    relationships are known waits, with no line saying a mentee is missing."""
    sheets = cohort_sheets()
    sheets["mentees"][2][1] = "pigeon"  # referral_source, B3
    sheets["meetings"][2][5] = None  # duration_minutes, F3
    sheets["meetings"][3][6] = "carrier"  # mode, G4
    outcome = check(world, workbook(sheets))
    found = [(p.sheet, p.cell) for p in outcome.problems]
    assert found == [("mentees", "B3"), ("meetings", "F3"), ("meetings", "G4")]
    assert "duration is blank" in outcome.problems[1].message
    assert "“carrier” is not a known code" in outcome.problems[2].message
    waited = [p.kind for p in outcome.parts if p.waited]
    assert waited == ["relationships", "meetings"]
    assert nothing_written()


def test_a_cell_that_cannot_be_read_leaves_the_rest_of_its_row_checked(world):
    """A formula in a meeting's duration and an unknown mode on the same row: both named,
    the formula once (never also as a blank duration)."""
    sheets = cohort_sheets()
    sheets["meetings"][2][5] = "=30+15"  # F3
    sheets["meetings"][2][6] = "carrier"  # G3
    outcome = check(world, workbook(sheets))
    assert [(p.sheet, p.cell) for p in outcome.problems] == [("meetings", "F3"), ("meetings", "G3")]
    assert "formula" in outcome.problems[0].message
    assert nothing_written()


def test_the_page_lists_all_three_and_says_which_checks_waited_and_why(world):
    """The job's page counts three problems and, for relationships and meetings, says their
    rows were checked on their own and what waits for the sheets before them."""
    client = client_for(world.coordinator_a)
    job = upload(
        client,
        kind="workbook",
        scheme_id=world.scheme_a.pk,
        name="n.xlsx",
        data=newcomers_workbook(),
    )
    assert job.status == ImportJob.Status.PROBLEMS and job.problem_count == 3
    body = page(client, job)
    assert "Fix 3 problems" in body
    for words in (WAITED["relationships"], WAITED["meetings"]):
        assert words.replace("'", "&#x27;") in body
    assert "Not checked" not in body
    assert "cell E3" in body and "cell F3" in body and "merged cells (L2:M2)" in body


def test_the_command_names_all_three_and_what_waited(world, tmp_path, capsys):
    """``import_records workbook`` reports the same three problems and the checks that
    waited, and imports nothing."""
    path = tmp_path / "newcomer.xlsx"
    path.write_bytes(newcomers_workbook())
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command(
            "import_records",
            "workbook",
            str(path),
            scheme=world.scheme_a.pk,
            by=world.coordinator_a.email,
        )
    err = capsys.readouterr().err
    assert "sheet mentors, the sheet: The sheet has merged cells (L2:M2)" in err
    assert "sheet mentees, line 3 (cell E3), status_changed_on:" in err
    assert "sheet meetings, line 3 (cell F3), duration_minutes:" in err
    assert f"sheet relationships (relationships): {WAITED['relationships']}" in err
    assert nothing_written()


def test_a_single_kind_sheet_reports_its_merged_cells_with_its_rows_problems(world):
    """A mentees workbook (one kind) with merged cells and a date typed as a number: both in
    one check."""
    sheets = cohort_sheets()
    book = openpyxl.load_workbook(io.BytesIO(workbook({"mentees": sheets["mentees"]})))
    book["mentees"].merge_cells("F4:G4")
    book["mentees"]["C5"] = 44106
    book["mentees"]["C5"].number_format = "General"
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = import_file(
        kind="mentees",
        by=world.coordinator_a,
        scheme=world.scheme_a,
        data=buffer.getvalue(),
        dry_run=True,
    )
    assert [(p.sheet, p.cell or p.line) for p in outcome.problems] == [
        ("mentees", 0),
        ("mentees", "C5"),
    ]
    assert "merged cells (F4:G4)" in outcome.problems[0].message
    assert "44106" in outcome.problems[1].message
    assert nothing_written()
