"""Import a mentor pool from a spreadsheet: the pool's own rules, all or nothing, never twice."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from conftest import client_for
from home.tests.importing import import_through_page
from schemes.mentors.imports import mentors_import
from schemes.models import Mentor

FUTURE = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
HEADER = (
    "reference,given_name,family_name,applied_on,kind,home_area,languages,status,"
    "first_active_on,capacity,dbs_level,dbs_issued_on,dbs_expires_on,"
    "clearance_establishment,clearance_issued_on,clearance_expires_on\n"
)
GOOD = HEADER + (
    f"V-01,Pat,Lee,2025-01-10,peer,ls6,English;Polish,active,2025-03-01,2,enhanced,"
    f"2025-02-01,{FUTURE},HMP Northgate,2025-02-10,{FUTURE}\n"
    "V-02,Sam,Kay,01/06/2026,volunteer,,,applied,,,,,,,,\n"
)


def run(world, text: str):
    return mentors_import(by=world.coordinator_a, scheme=world.scheme_a, data=text.encode())


def imported(world):
    return Mentor.objects.filter(scheme=world.scheme_a, reference__startswith="V-")


def test_a_valid_file_imports_mentors_with_vetting_and_timeline(world):
    report = run(world, GOOD)
    assert (report.ok, report.created) == (True, 2), report.problems
    pat = Mentor.objects.get(reference="V-01")
    assert (pat.status, pat.kind, pat.home_area, pat.capacity) == ("active", "peer", "LS6", 2)
    assert pat.languages == ["English", "Polish"]
    assert pat.dbs_checks.get().level == "enhanced"
    assert pat.clearances.get().establishment == "HMP Northgate"
    assert [c.to_status for c in pat.status_changes.all()] == ["applied", "active"]
    assert AuditEvent.objects.filter(action="mentor.imported").count() == 2


def test_importing_the_same_mentors_again_adds_nobody_twice(world):
    run(world, GOOD)
    again = run(world, GOOD)
    assert (again.ok, again.created, again.already_present) == (True, 0, 2)
    assert imported(world).count() == 2


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "V-9,Al,Day,2025-01-10,,,,active,2025-03-01,,,,,,,\n",
            "An active mentor needs an enhanced DBS check.",
        ),
        (
            "V-9,Al,Day,2025-01-10,,,,vetting,,,enhanced,2025-02-01,,,,\n",
            "Give the DBS level, issue date and expiry date together.",
        ),
        ("V-9,Al,Day,2025-01-10,,ABCD,,,,,,,,,,\n", "Enter the first half of their postcode"),
        ("V-9,Al,Day,2025-01-10,student,,,,,,,,,,,\n", "“student” is not a known code."),
        ("V-9,Al,Day,next week,,,,,,,,,,,,\n", "Not a date."),
        ("V-9,Al,Day,2025-01-10,,,,paused,,,,,,,,\n", "Needed for a mentor who is paused."),
    ],
)
def test_a_bad_mentor_row_is_explained_and_nothing_is_written(world, row, message):
    report = run(world, GOOD + row)
    assert not report.ok
    assert any(message in p.message for p in report.problems), report.problems
    assert not imported(world).exists()


def test_the_upload_page_imports_mentors(world):
    _, body = import_through_page(
        client_for(world.coordinator_a),
        kind="mentors",
        scheme_id=world.scheme_a.pk,
        name="pool.csv",
        data=GOOD.encode(),
    )
    assert reverse("mentors:list") in body
    assert imported(world).count() == 2
