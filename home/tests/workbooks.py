"""Workbooks for import tests: a valid cohort with a sheet per kind, at any size.

``cohort(mentees=40)`` gives a small workbook; ``cohort(mentees=4000, mentors=40,
relationships=390, meetings=1100)`` the size of a scheme's real history. Dates are written as
Excel date cells (as a person's spreadsheet has them), references as text.
"""

import datetime
import io
from collections.abc import Iterable, Sequence
from typing import Any

import openpyxl
from django.utils import timezone

MENTOR_COLUMNS = [
    "reference",
    "given_name",
    "family_name",
    "applied_on",
    "status",
    "first_active_on",
    "capacity",
    "dbs_level",
    "dbs_issued_on",
    "dbs_expires_on",
]
MENTEE_COLUMNS = [
    "reference",
    "given_name",
    "family_name",
    "referral_source",
    "referred_on",
    "referral_status",
    "status_changed_on",
    "consent_given_on",
    "consent_sheet_version",
]
RELATIONSHIP_COLUMNS = [
    "mentee_reference",
    "mentor_reference",
    "matched_on",
    "status",
    "closed_on",
    "closure_type",
    "closure_reason",
]
MEETING_COLUMNS = [
    "mentee_reference",
    "mentor_reference",
    "matched_on",
    "held_on",
    "time",
    "duration_minutes",
    "mode",
    "initiated_by",
    "purpose",
    "outcome",
]


def ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def workbook(sheets: dict[str, Sequence[Sequence[Any]]]) -> bytes:
    """An XLSX file with a sheet per entry: its first row the header, then the records."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def cohort_sheets(
    *, mentees: int = 12, mentors: int = 3, relationships: int = 6, meetings: int = 10
) -> dict[str, list[list[Any]]]:
    """The rows of a valid history: mentors active and vetted; every mentee waiting for a match
    with consent; the first ``relationships`` mentees matched once (all closed but the last
    one of each mentor), and ``meetings`` meetings spread over the relationships."""
    assert relationships <= mentees and (relationships == 0 or mentors > 0)
    vetted_until = timezone.localdate() + datetime.timedelta(days=400)
    mentor_rows: list[list[Any]] = [
        [
            f"VOL-{i:03d}",
            "Vol",
            f"Unteer{i}",
            ago(900),
            "active",
            ago(800),
            20,
            "enhanced",
            ago(810),
            vetted_until,
        ]
        for i in range(mentors)
    ]
    mentee_rows: list[list[Any]] = [
        [
            f"HR-{i:05d}",
            "Pat",
            f"Person{i}",
            "prison",
            ago(700),
            "awaiting_match",
            ago(650),
            ago(660),
            "v1",
        ]
        for i in range(mentees)
    ]
    relationship_rows: list[list[Any]] = []
    matches: list[tuple[str, str, datetime.date]] = []
    for i in range(relationships):
        mentor = f"VOL-{i % mentors:03d}"
        matched_on = ago(600 - i % 300)
        still_open = i >= relationships - mentors  # the last match of each mentor
        closing = [None, None, None] if still_open else [ago(20), "planned", "goals_achieved"]
        relationship_rows.append(
            [f"HR-{i:05d}", mentor, matched_on, "active" if still_open else "closed", *closing]
        )
        matches.append((f"HR-{i:05d}", mentor, matched_on))
    meeting_rows: list[list[Any]] = []
    for i in range(meetings if matches else 0):
        mentee, mentor, matched_on = matches[i % len(matches)]
        held_on = matched_on + datetime.timedelta(days=1 + i // len(matches))
        meeting_rows.append(
            [
                mentee,
                mentor,
                matched_on,
                held_on,
                datetime.time(10, 30),
                45,
                "face_to_face",
                "mentee",
                "goals",
                "met",
            ]
        )
    return {
        "mentors": [MENTOR_COLUMNS, *mentor_rows],
        "mentees": [MENTEE_COLUMNS, *mentee_rows],
        "relationships": [RELATIONSHIP_COLUMNS, *relationship_rows],
        "meetings": [MEETING_COLUMNS, *meeting_rows],
    }


def cohort(**sizes: int) -> bytes:
    return workbook(cohort_sheets(**sizes))


def with_rows(rows: Iterable[Sequence[Any]], header: Sequence[str]) -> list[list[Any]]:
    return [list(header), *[list(r) for r in rows]]
