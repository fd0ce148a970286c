"""Import past meetings from a spreadsheet (CSV), after their relationships.

The same rules as every import (docs/import-format.md): every row is checked before anything
is written, a bad file writes nothing, and importing a file again adds nothing twice. Private
notes and concerns are refused unread. A held first meeting takes the relationship's
``first_meeting`` step, as logging it in Tandem does.
"""

import datetime
import zoneinfo
from typing import Any

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record, audit_record_many
from core.forms import Form
from core.imports import ImportReport, Problem, check_rows, code_field, date_field
from relationships.import_rows import (
    CONCERN,
    PRIVATE_NOTES,
    describe_match,
    people_in,
    reference_problems,
    relationship_key,
)
from relationships.models import Meeting, Party, Relationship
from relationships.transitions import Move, relationships_transition_many
from schemes.models import Scheme

RS = Relationship.Status

MEETING_REQUIRED = [
    "mentee_reference",
    "mentor_reference",
    "matched_on",
    "held_on",
    "mode",
    "initiated_by",
    "purpose",
    "duration_minutes",
    "outcome",
]
MEETING_OPTIONAL = ["time", "note_shared", "expenses"]
#: A blank cell is never filled in for the user: these say what to write instead.
BLANK_PURPOSE = (
    "The purpose is blank. Write what the meeting was for ({codes}), or not_recorded if the "
    "records do not say."
)
BLANK_DURATION = (
    "The duration is blank. Write how many minutes the meeting took (or was booked for), "
    "e.g. 45. Tandem never guesses a length: if the records do not say, ask the mentor or "
    "leave the meeting out."
)
BLANK_OUTCOME = (
    "The outcome is blank. Write what happened: met, did_not_attend, cancelled_by_mentee or "
    "cancelled_by_mentor. Tandem never assumes a meeting was held: if the records do not say, "
    "ask the mentor or leave the meeting out."
)
MEETING_REFUSED = {
    "note_private": PRIVATE_NOTES,
    "private_notes": PRIVATE_NOTES,
    "private_note": PRIVATE_NOTES,
    "concern": CONCERN,
}
INITIATORS = [(p.value, str(p.label)) for p in (Party.MENTEE, Party.MENTOR, Party.COORDINATOR)]


class MeetingRow(Form):
    """One past contact, held or missed."""

    mentee_reference = forms.CharField(max_length=20)
    mentor_reference = forms.CharField(max_length=20)
    matched_on = date_field(required=True)
    held_on = date_field(required=True)
    time = forms.TimeField(
        required=False,
        input_formats=["%H:%M", "%H.%M"],
        error_messages={"invalid": "Not a time. Write it as 14:30."},
    )
    # Blank is checked in clean() with a message saying what to write, never defaulted.
    duration_minutes = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=24 * 60,
        error_messages={"invalid": "Write the number of minutes, e.g. 45."},
    )
    mode = code_field(Meeting.Mode.choices, required=True)
    initiated_by = code_field(INITIATORS, required=True)
    outcome = code_field(Meeting.Outcome.choices)
    purpose = code_field(Meeting.Purpose.choices)
    note_shared = forms.CharField(required=False)
    expenses = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
        error_messages={"invalid": "Write an amount in pounds, e.g. 4.50."},
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns, and never None
        if data.get("held_on"):
            zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
            held_at = datetime.datetime.combine(
                data["held_on"], data.get("time") or datetime.time(12, 0), tzinfo=zone
            )
            data["held_at"] = held_at
            if held_at > timezone.now():
                self.add_error("held_on", "Cannot be in the future.")
            elif data.get("matched_on") and data["held_on"] < data["matched_on"]:
                self.add_error("held_on", "Before the match date.")
        if not self.data.get("outcome"):
            self.add_error("outcome", BLANK_OUTCOME)
        if not self.data.get("purpose"):
            known = [p for p in Meeting.Purpose.values if p != Meeting.Purpose.NOT_RECORDED]
            self.add_error("purpose", BLANK_PURPOSE.format(codes=", ".join(known)))
        if not self.data.get("duration_minutes"):
            self.add_error("duration_minutes", BLANK_DURATION)
        return data


@transaction.atomic
def meetings_import(
    *, by: User, scheme: Scheme, data: bytes, dry_run: bool = False
) -> ImportReport:
    """Check the whole file, then write every meeting, each with a fresh client id, or none."""
    report, rows = check_rows(
        data,
        required=MEETING_REQUIRED,
        optional=MEETING_OPTIONAL,
        row_form=MeetingRow,
        refused=MEETING_REFUSED,
    )
    report.dry_run = dry_run
    if not rows:
        return report
    new = _checked_lines(scheme, rows, report)
    if not report.ok or dry_run or not new:
        return report
    meetings = _write_meetings(new)
    _activate_on_first_meeting(by=by, meetings=meetings)
    audit_record_many(actor=by, action="meeting.imported", targets=meetings, scheme=scheme)
    audit_record(
        actor=by,
        action="import.completed",
        target=scheme,
        scheme=scheme,
        detail={"kind": "meetings", "created": len(meetings), "skipped": report.already_present},
    )
    report.created = len(meetings)
    report.written["meetings"] = [m.pk for m in meetings]
    return report


#: A line to import: its cleaned row and the relationship it belongs to.
NewMeeting = tuple[dict[str, Any], Relationship]
#: A meeting as the file and Tandem both know it: relationship, when held, mode.
MeetingKey = tuple[int, datetime.datetime, str]


def _checked_lines(
    scheme: Scheme, rows: list[tuple[int, dict[str, Any]]], report: ImportReport
) -> list[NewMeeting]:
    """Each line on its own: known people and a known relationship, within its dates, no
    repeats. Lines already in Tandem are counted and left out."""
    mentees, mentors = people_in(scheme, rows)
    relationships = {
        (r.mentee.reference, r.mentor.reference, r.matched_on): r
        for r in Relationship.objects.filter(
            mentee__in=mentees.values(), mentor__in=mentors.values()
        ).select_related("mentee", "mentor")
    }
    present = set(
        Meeting.objects.filter(relationship__in=relationships.values()).values_list(
            "relationship_id", "held_at", "mode"
        )
    )
    seen: dict[MeetingKey, int] = {}
    new: list[NewMeeting] = []
    for line, row in rows:
        mentee, mentor = mentees.get(row["mentee_reference"]), mentors.get(row["mentor_reference"])
        problems = reference_problems(line, mentee, mentor, row)
        relationship = relationships.get(relationship_key(row))
        if not problems and relationship is None:
            problems.append(
                Problem(
                    line,
                    "matched_on",
                    f"No relationship {describe_match(relationship_key(row))}. "
                    "Import relationships first.",
                )
            )
        if relationship is not None:
            problems += _meeting_problems(line, row, relationship, seen)
            if not problems and (relationship.pk, row["held_at"], row["mode"]) in present:
                report.already_present += 1
                continue
        report.problems += problems
        if not problems and relationship is not None:  # no problems: the match is known
            new.append((row, relationship))
    return new


def _meeting_problems(
    line: int, row: dict[str, Any], relationship: Relationship, seen: dict[MeetingKey, int]
) -> list[Problem]:
    """A meeting within its relationship's dates, and on one line of the file only."""
    problems = []
    if relationship.closed_on and row["held_on"] > relationship.closed_on:
        problems.append(
            Problem(
                line,
                "held_on",
                f"After the relationship closed ({relationship.closed_on:%Y-%m-%d}).",
            )
        )
    key = (relationship.pk, row["held_at"], row["mode"])
    if key in seen:
        problems.append(
            Problem(
                line,
                "",
                f"The same meeting ({row['mode']} at {row['held_at']:%Y-%m-%d %H:%M}) "
                f"is also on line {seen[key]}.",
            )
        )
    seen.setdefault(key, line)
    return problems


def _write_meetings(new: list[NewMeeting]) -> list[Meeting]:
    return Meeting.objects.bulk_create(
        [
            Meeting(
                relationship=relationship,
                held_at=row["held_at"],
                duration_minutes=row["duration_minutes"],
                mode=row["mode"],
                initiated_by=row["initiated_by"],
                outcome=row["outcome"],
                purpose=row["purpose"],
                note_shared=row["note_shared"],
                expenses=row["expenses"],
                logged_by=None,  # logged outside Tandem; the audit trail names the importer
            )
            for row, relationship in new
        ],
        batch_size=2000,
    )


def _activate_on_first_meeting(*, by: User, meetings: list[Meeting]) -> None:
    """An introduced relationship whose first meeting was held becomes active on that day,
    and the person's referral with it, as logging the meeting in Tandem does: the same step
    of the same transition function, in its batch form."""
    first_met: dict[int, datetime.date] = {}
    for meeting in meetings:
        relationship = meeting.relationship
        if relationship.status == RS.INTRODUCED and meeting.outcome == Meeting.Outcome.MET:
            day = timezone.localtime(meeting.held_at).date()
            first_met[relationship.pk] = min(day, first_met.get(relationship.pk, day))
    if not first_met:
        return
    relationships = Relationship.objects.filter(pk__in=first_met).select_related("mentee")
    relationships_transition_many(
        by=by,
        moves=[
            Move(
                r,
                "first_meeting",
                first_met[r.pk],
                reason="First meeting held (imported)",
                referral_note="First meeting held (imported)",
            )
            for r in relationships
        ],
    )
