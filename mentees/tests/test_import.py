"""Import from spreadsheets: check everything first, write all or nothing, never twice."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from audit.models import AuditEvent
from conftest import client_for
from home.tests.importing import import_through_page
from mentees.imports import mentees_import
from mentees.models import Mentee, Referral

HEADER = (
    "reference,given_name,family_name,date_of_birth,situation,establishment,"
    "expected_release_on,referral_source,referred_on,referral_status,exit_reason,"
    "consent_given_on,consent_sheet_version\n"
)
GOOD = HEADER + (
    "NG-001,Ann,Smith,31/03/1985,in_custody,HMP Northgate,2027-01-10,prison,2026-09-01,"
    "awaiting_match,,2026-09-01,v2\n"
    "NG-002,Bob,Jones,,community,,,probation,2026-08-15,lost_contact,no_response,,\n"
)


def run(world, text: str | bytes, dry_run: bool = False):
    data = text.encode() if isinstance(text, str) else text
    return mentees_import(by=world.coordinator_a, scheme=world.scheme_a, data=data, dry_run=dry_run)


def imported(world) -> int:
    return Mentee.objects.filter(scheme=world.scheme_a, reference__startswith="NG-").count()


def test_a_valid_file_imports_people_referrals_and_consent(world):
    report = run(world, GOOD)
    assert (report.ok, report.created, report.already_present) == (True, 2, 0)
    ann = Mentee.objects.get(reference="NG-001")
    assert ann.date_of_birth.isoformat() == "1985-03-31"
    referral = ann.referrals.get()
    assert referral.status == Referral.Status.AWAITING_MATCH
    assert ann.consents.get().information_sheet_version == "v2"
    assert [t.to_status for t in referral.transitions.all()] == ["referred", "awaiting_match"]
    assert (
        AuditEvent.objects.filter(action="mentee.imported", actor=world.coordinator_a).count() == 2
    )


def test_importing_the_same_file_again_adds_nobody_twice(world):
    run(world, GOOD)
    again = run(world, GOOD)
    assert (again.ok, again.created, again.already_present) == (True, 0, 2)
    assert imported(world) == 2


def test_a_dry_run_checks_and_writes_nothing(world):
    report = run(world, GOOD, dry_run=True)
    assert report.ok and report.rows == 2
    assert imported(world) == 0


BAD_FILES = {
    "missing column": (
        "reference,given_name\nNG-1,Ann\n",
        "Missing columns: referral_source, referred_on.",
    ),
    "unknown column": (
        HEADER.strip() + ",favourite_colour\n" + GOOD.splitlines()[1] + ",blue\n",
        "Unknown columns: favourite_colour.",
    ),
    "bad date": (
        HEADER + "NG-1,Ann,Smith,31st March,community,,,prison,2026-09-01,,,,\n",
        "Not a date. Write it as 2024-03-31 or 31/03/2024.",
    ),
    "unknown code": (
        HEADER + "NG-1,Ann,Smith,,community,,,police,2026-09-01,,,,\n",
        "“police” is not a known code.",
    ),
    "duplicate rows": (
        HEADER
        + "NG-1,Ann,Smith,,community,,,prison,2026-09-01,,,,\n"
        + "NG-1,Ann,Smith,,community,,,prison,2026-09-01,,,,\n",
        "NG-1 is also on line 2.",
    ),
    "empty file": ("", "The file is empty."),
    "header only": (HEADER, "The file has a header row but no records."),
    "waiting without consent": (
        HEADER + "NG-1,Ann,Smith,,community,,,prison,2026-09-01,awaiting_match,,,\n",
        "needs the date informed consent was given",
    ),
    "exit without a reason": (
        HEADER + "NG-1,Ann,Smith,,community,,,prison,2026-09-01,declined,,,\n",
        "Needed when the referral status is declined.",
    ),
    "custody without a prison": (
        HEADER + "NG-1,Ann,Smith,,in_custody,,,prison,2026-09-01,,,,\n",
        "Needed for someone in custody.",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_explained_and_nothing_is_written(world, case):
    """One bad row stops the whole file, even with good rows before it."""
    text, message = BAD_FILES[case]
    report = run(world, text)
    assert not report.ok
    assert any(message in p.message for p in report.problems), report.problems
    assert imported(world) == 0


def test_one_bad_row_among_good_ones_writes_nothing_and_names_the_line(world):
    text = GOOD + "NG-003,Cy,Bell,,community,,,prison,not-a-date,,,,\n"
    report = run(world, text)
    assert [(p.line, p.column) for p in report.problems] == [(4, "referred_on")]
    assert imported(world) == 0


def test_a_file_that_is_not_utf8_says_how_to_save_it(world):
    report = run(world, GOOD.replace("Ann", "Zoë").encode("cp1252"))
    assert not report.ok
    assert "CSV UTF-8" in report.problems[0].message
    assert imported(world) == 0


def test_a_spreadsheet_with_a_byte_order_mark_imports(world):
    assert run(world, "\ufeff" + GOOD).ok


def test_the_upload_page_imports_and_reports_problems(world):
    client = client_for(world.coordinator_a)
    scheme = world.scheme_a.pk
    _, bad = import_through_page(
        client, kind="mentees", scheme_id=scheme, name="people.csv", data=b"reference\nX\n"
    )
    assert "Nothing was imported" in bad
    _, good = import_through_page(
        client, kind="mentees", scheme_id=scheme, name="people.csv", data=GOOD.encode()
    )
    assert reverse("mentees:list") in good
    assert imported(world) == 2


def test_a_coordinator_cannot_import_into_another_scheme(world):
    response = client_for(world.coordinator_a).post(
        reverse("home:import"),
        {
            "kind": "mentees",
            "scheme": world.scheme_b.pk,
            "file": SimpleUploadedFile("p.csv", GOOD.encode()),
        },
    )
    assert "Choose one of the options given for “Scheme”" in response.content.decode()
    assert not Mentee.objects.filter(reference__startswith="NG-").exists()


def test_the_command_imports_with_the_same_rules(world, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(GOOD)
    args = ["import_records", "mentees", str(path), "--scheme", str(world.scheme_a.pk)]
    call_command(*args, "--by", world.coordinator_a.email)
    assert "Imported 2 of 2 rows" in capsys.readouterr().out
    with pytest.raises(CommandError, match=r"not a coordinator of .* nor a manager"):
        call_command(*args, "--by", world.coordinator_b.email)
    path.write_text("reference\nX\n")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command(*args, "--by", world.coordinator_a.email)
    assert "Missing columns" in capsys.readouterr().err


def test_future_dates_are_refused_as_in_the_app(world):
    text = HEADER + "NG-1,Ann,Smith,,community,,,prison,2099-01-01,,,,\n"
    report = run(world, text)
    assert [(p.column, p.message) for p in report.problems] == [
        ("referred_on", "Cannot be in the future.")
    ]


def test_matches_cannot_be_imported_without_their_mentor(world):
    text = HEADER + "NG-1,Ann,Smith,,community,,,prison,2026-09-01,active,,2026-09-02,v1\n"
    report = run(world, text)
    assert "needs a relationship with a mentor" in report.problems[0].message


def test_a_withdrawn_consent_is_imported_as_withdrawn_not_current(world):
    text = (
        HEADER.strip()
        + ",status_changed_on\n"
        + "NG-1,Ann,Smith,,community,,,prison,2026-09-01,withdrawn,consent_withdrawn,"
        + "2026-09-05,v1,2026-10-01\n"
    )
    assert run(world, text).ok
    consent = Mentee.objects.get(reference="NG-1").consents.get()
    assert consent.withdrawn_on.isoformat() == "2026-10-01"


def test_imported_consent_does_not_claim_who_explained_it(world):
    run(world, GOOD)
    consent = Mentee.objects.get(reference="NG-001").consents.get()
    assert consent.explained_by is None
    page = client_for(world.coordinator_a).get(reverse("mentees:detail", args=[consent.mentee_id]))
    assert "imported from the scheme" in page.content.decode()


def test_problems_name_the_line_a_spreadsheet_shows(world):
    """Blank lines and cells with line breaks do not shift the reported line."""
    text = (
        HEADER
        + "\n"
        + "NG-1,Ann,Smith,,community,,,prison,2026-09-01,,,,\n"
        + 'NG-2,"Bo\nBo",Smith,,community,,,prison,2026-09-01,,,,\n'
        + "NG-3,Cy,Smith,,community,,,prison,bad,,,,\n"
    )
    report = run(world, text)
    assert [(p.line, p.column) for p in report.problems] == [(6, "referred_on")]


def test_cells_beyond_the_header_are_reported_and_empty_columns_ignored(world):
    extra = HEADER + "NG-1,Ann,Smith,,community,,,prison,2026-09-01,,,,,surprise\n"
    assert "beyond the last named column" in run(world, extra).problems[0].message
    excel = HEADER.strip() + ",,\n" + "NG-1,Ann,Smith,,community,,,prison,2026-09-01,,,,,,\n"
    assert run(world, excel).ok


def test_consent_after_the_wait_began_is_refused_as_a_false_history(world):
    text = HEADER + "NG-1,Ann,Smith,,community,,,prison,2026-09-01,awaiting_match,,2026-09-10,v1\n"
    report = run(world, text)
    assert "consent has to come first" in report.problems[0].message
