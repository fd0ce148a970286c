"""Import past relationships and their meetings from spreadsheets (CSV).

The same rules as the caseload import (docs/import-format.md): documented columns, every row
checked before anything is written, all or nothing in one transaction, problems named by line
and column, and importing a file again adds nothing twice.

Order: mentees first (as ``awaiting_match``, with consent), mentors, then relationships, then
meetings. A relationship is known by (mentee reference, mentor reference, matched on); a
meeting by its relationship, when it was held and its mode. Importing relationships moves each
person's referral as matching would have (matched, active or ended), and importing a held
meeting for an introduced relationship makes it active, as logging one in Tandem does.

Private meeting notes are the mentor's alone: a file carrying them is refused, never read.
"""

import datetime
import itertools
import zoneinfo
from collections import defaultdict
from typing import Any

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record, audit_record_many
from core.imports import ImportReport, Problem, check_rows, code_field, date_field
from mentees.models import Mentee, Referral
from mentees.transitions import ReferralStep, referrals_transition_many
from relationships.lifecycle import REFERRAL_EXIT_FOR_CLOSURE
from relationships.models import Meeting, Party, Pause, Relationship
from relationships.transitions import Move, relationships_transition_many
from schemes.models import Mentor, Scheme

RS = Relationship.Status
FS = Referral.Status
IMPORTED = "Imported"
IMPORTED_GAP = "Imported: steps in between were not recorded"
#: The step an imported relationship takes from introduced to the status its row gives.
IMPORTED_STEP = {
    RS.ACTIVE: "imported_gap",
    RS.PAUSED: "pause",
    RS.ENDING: "imported_gap",
    RS.CLOSED: "close",
}
#: The referral status that follows each state of a person's latest relationship.
REFERRAL_FOR = {
    RS.INTRODUCED: FS.MATCHED,
    RS.ACTIVE: FS.ACTIVE,
    RS.PAUSED: FS.ACTIVE,
    RS.ENDING: FS.ACTIVE,
    RS.CLOSED: FS.ENDED,
}
YES_NO = [("yes", "yes"), ("no", "no")]
PRIVATE_NOTES = (
    "Private notes are the mentor's alone and never travel in files. Remove this column; "
    "nothing was read from it."
)
CONCERN = (
    "Concerns are not imported: a concern must reach the coordinator when it is raised. "
    "Remove this column and record any concern that still matters in Tandem."
)


def _reference_problems(
    line: int, mentee: Mentee | None, mentor: Mentor | None, row: dict[str, Any]
) -> list[Problem]:
    problems = []
    if mentee is None:
        problems.append(
            Problem(
                line,
                "mentee_reference",
                f"No mentee in this scheme has the reference {row['mentee_reference']}. "
                "Import mentees first.",
            )
        )
    if mentor is None:
        problems.append(
            Problem(
                line,
                "mentor_reference",
                f"No mentor in this scheme has the reference {row['mentor_reference']}. "
                "Import mentors first.",
            )
        )
    return problems


def _people(scheme: Scheme, rows: list[tuple[int, dict[str, Any]]]):
    mentees = {
        m.reference: m
        for m in Mentee.objects.filter(
            scheme=scheme, reference__in={r["mentee_reference"] for _, r in rows}
        )
    }
    mentors = {
        m.reference: m
        for m in Mentor.objects.filter(
            scheme=scheme, reference__in={r["mentor_reference"] for _, r in rows}
        ).exclude(reference="")
    }
    return mentees, mentors


# Relationships ------------------------------------------------------------------------------

RELATIONSHIP_REQUIRED = ["mentee_reference", "mentor_reference", "matched_on", "status"]
RELATIONSHIP_OPTIONAL = [
    "matched_in_custody",
    "next_review_on",
    "paused_on",
    "pause_reason",
    "exit_plan",
    "planned_end_on",
    "closed_on",
    "closure_type",
    "closure_reason",
    "final_review",
    "contact_after",
]


class RelationshipRow(forms.Form):
    """One past match, checked with the rules the relationship's own services keep."""

    mentee_reference = forms.CharField(max_length=20)
    mentor_reference = forms.CharField(max_length=20)
    matched_on = date_field(required=True)
    status = code_field(RS.choices, required=True)
    matched_in_custody = code_field(YES_NO)
    next_review_on = date_field()
    paused_on = date_field()
    pause_reason = code_field(Pause.Reason.choices)
    exit_plan = forms.CharField(required=False)
    planned_end_on = date_field()
    closed_on = date_field()
    closure_type = code_field(Relationship.ClosureType.choices)
    closure_reason = code_field(Relationship.ClosureReason.choices)
    final_review = forms.CharField(required=False)
    contact_after = code_field(Relationship.ContactAfter.choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        today = timezone.localdate()
        for name in ("matched_on", "paused_on", "closed_on"):
            if data.get(name) and data[name] > today:
                self.add_error(name, "Cannot be in the future.")
        status, matched_on = data.get("status"), data.get("matched_on")
        data["matched_in_custody"] = data.get("matched_in_custody") == "yes"
        closing = ("closed_on", "closure_type", "closure_reason", "final_review", "contact_after")
        if status == RS.CLOSED:
            for name in ("closed_on", "closure_type", "closure_reason"):
                if not data.get(name):
                    self.add_error(name, "Needed for a closed relationship.")
        elif status:
            for name in closing:
                if data.get(name):
                    self.add_error(name, "Only for a closed relationship.")
        if status == RS.PAUSED:
            for name in ("paused_on", "pause_reason"):
                if not data.get(name):
                    self.add_error(name, "Needed for a paused relationship.")
        elif status:
            for name in ("paused_on", "pause_reason"):
                if data.get(name):
                    self.add_error(name, "Only for a paused relationship.")
        if status == RS.ENDING and not data.get("exit_plan"):
            self.add_error("exit_plan", "Needed for a relationship that is ending.")
        if status not in (RS.ENDING, RS.CLOSED):
            for name in ("exit_plan", "planned_end_on"):
                if data.get(name):
                    self.add_error(name, "Only for a relationship that is ending or closed.")
        if status == RS.CLOSED and data.get("next_review_on"):
            self.add_error("next_review_on", "A closed relationship has no next review.")
        if matched_on:
            for name in ("paused_on", "closed_on", "planned_end_on", "next_review_on"):
                if data.get(name) and data[name] < matched_on:
                    self.add_error(name, "Before the match date.")
        return data


def _relationship_key(row: dict[str, Any]) -> tuple[str, str, datetime.date]:
    return (row["mentee_reference"], row["mentor_reference"], row["matched_on"])


def _describe(key: tuple[str, str, datetime.date]) -> str:
    return f"{key[0]} with {key[1]} matched on {key[2]:%Y-%m-%d}"


@transaction.atomic
def relationships_import(
    *, by: User, scheme: Scheme, data: bytes, dry_run: bool = False
) -> ImportReport:
    """Check the whole file, then write every relationship, its history and the referral
    moves it implies, or nothing."""
    report, rows = check_rows(
        data,
        required=RELATIONSHIP_REQUIRED,
        optional=RELATIONSHIP_OPTIONAL,
        row_form=RelationshipRow,
    )
    report.dry_run = dry_run
    if not rows:
        return report
    mentees, mentors = _people(scheme, rows)
    existing: dict[int, list[Relationship]] = defaultdict(list)
    for relationship in Relationship.objects.filter(mentee__in=mentees.values()).select_related(
        "mentor"
    ):
        existing[relationship.mentee_id].append(relationship)
    present = {
        (m.reference, r.mentor.reference, r.matched_on)
        for m in mentees.values()
        for r in existing[m.pk]
    }
    referrals = {
        r.mentee_id: r
        for r in Referral.objects.filter(mentee__in=mentees.values()).order_by(
            "mentee_id", "referred_on", "id"
        )
    }  # the latest referral per person wins
    seen: dict[tuple, int] = {}
    new: list[tuple[int, dict[str, Any], Mentee, Mentor]] = []
    for line, row in rows:
        mentee, mentor = mentees.get(row["mentee_reference"]), mentors.get(row["mentor_reference"])
        problems = _reference_problems(line, mentee, mentor, row)
        key = _relationship_key(row)
        if key in seen:
            problems.append(Problem(line, "", f"{_describe(key)} is also on line {seen[key]}."))
        seen.setdefault(key, line)
        if mentor is not None and not problems:
            if mentor.first_active_on is None or mentor.first_active_on > row["matched_on"]:
                problems.append(
                    Problem(
                        line,
                        "matched_on",
                        f"{mentor.reference} was not an active mentor on that day"
                        + (
                            f" (active from {mentor.first_active_on:%Y-%m-%d})."
                            if mentor.first_active_on
                            else "."
                        ),
                    )
                )
            elif row["status"] != RS.CLOSED and mentor.status == Mentor.Status.LEFT:
                problems.append(
                    Problem(line, "status", f"{mentor.reference} has left; close the match.")
                )
        report.problems += problems
        if problems:
            continue
        if key in present:
            report.already_present += 1
            continue
        new.append((line, row, mentee, mentor))

    # Each person: matches in date order, each closed before the next began.
    timeline: dict[int, list[tuple[datetime.date, str, datetime.date | None, int]]] = defaultdict(
        list
    )
    for line, row, mentee, _ in new:
        timeline[mentee.pk].append((row["matched_on"], row["status"], row["closed_on"], line))
    for mentee_pk, items in timeline.items():
        items += [(r.matched_on, r.status, r.closed_on, 0) for r in existing[mentee_pk]]
        items.sort(key=lambda i: (i[0], i[1] != RS.CLOSED))
        for earlier, later in itertools.pairwise(items):
            if earlier[1] == RS.CLOSED and earlier[2] <= later[0]:
                continue
            where = f"line {earlier[3]}" if earlier[3] else "a relationship already in Tandem"
            report.problems.append(
                Problem(
                    later[3] or earlier[3],
                    "matched_on",
                    f"Overlaps {where} (matched on {earlier[0]:%Y-%m-%d}): a person has one "
                    "mentor at a time, so the earlier match must be closed by then.",
                )
            )
    # The referral must be ready for these matches.
    first_line = {}
    for line, row, mentee, _ in new:
        first_line.setdefault(mentee.pk, (line, row))
    for mentee_pk, (line, row) in first_line.items():
        referral = referrals.get(mentee_pk)
        reference = row["mentee_reference"]
        earliest = min(i[0] for i in timeline[mentee_pk])
        if referral is None:
            report.problems.append(
                Problem(line, "mentee_reference", f"{reference} has no referral.")
            )
        elif existing[mentee_pk] and referral.status in (FS.MATCHED, FS.ACTIVE):
            continue
        elif referral.status != FS.AWAITING_MATCH:
            report.problems.append(
                Problem(
                    line,
                    "mentee_reference",
                    f"{reference}'s referral is {referral.get_status_display().lower()}; only "
                    "someone awaiting a match can be matched. Import mentees as awaiting_match "
                    "first.",
                )
            )
        elif referral.status_changed_on > earliest:
            report.problems.append(
                Problem(
                    line,
                    "matched_on",
                    f"Before {reference} began waiting for a match "
                    f"({referral.status_changed_on:%Y-%m-%d}).",
                )
            )
    report.problems.sort(key=lambda p: p.line)
    if not report.ok or dry_run or not new:
        return report

    interval = datetime.timedelta(weeks=scheme.review_interval_weeks)
    today = timezone.localdate()
    created = [
        Relationship(
            mentee=mentee,
            mentor=mentor,
            matched_on=row["matched_on"],
            matched_by=None,  # not in the spreadsheet; the audit trail names the importer
            matched_in_custody=row["matched_in_custody"],
            next_review_on=None
            if row["status"] == RS.CLOSED
            else row["next_review_on"] or today + interval,
            exit_plan=row["exit_plan"],
            planned_end_on=row["planned_end_on"],
            closed_on=row["closed_on"],
            closure_type=row["closure_type"] or "",
            closure_reason=row["closure_reason"] or "",
            final_review=row["final_review"],
            contact_after=row["contact_after"] or "",
        )
        for _, row, mentee, mentor in new
    ]
    moves, pauses = [], []
    for relationship, (_, row, _, _) in zip(created, new, strict=True):
        moves.append(Move(relationship, "match", relationship.matched_on, reason=IMPORTED))
        # Closed and paused are steps an introduced relationship may take, so they are taken
        # as in the app; active and ending stand for steps the records do not show.
        step = IMPORTED_STEP.get(row["status"])
        if step is not None:
            on = row["closed_on"] or row["paused_on"] or relationship.matched_on
            moves.append(
                Move(
                    relationship,
                    step,
                    on,
                    reason=IMPORTED_GAP,
                    to_status=row["status"],
                    detail=_step_detail(row, referrals.get(relationship.mentee.pk)),
                )
            )
        if row["status"] == RS.PAUSED:
            pauses.append(
                Pause(
                    relationship=relationship,
                    reason=row["pause_reason"],
                    note=IMPORTED,
                    starts_on=row["paused_on"],
                )
            )
    # A person's referral follows their latest relationship, which only the whole file knows.
    relationships_transition_many(by=by, moves=moves, follow_referrals=False)
    for pause in pauses:
        pause.relationship_id = pause.relationship.pk
    Pause.objects.bulk_create(pauses)
    _move_referrals(by=by, referrals=referrals, relationships=created, existing=existing)
    audit_record_many(actor=by, action="relationship.imported", targets=created, scheme=scheme)
    audit_record(
        actor=by,
        action="import.completed",
        target=scheme,
        scheme=scheme,
        detail={
            "kind": "relationships",
            "created": len(created),
            "skipped": report.already_present,
        },
    )
    report.created = len(created)
    return report


def _step_detail(row: dict[str, Any], referral: Referral | None) -> dict[str, Any]:
    """The audit detail the app's own pause or closure writes (codes and ids only)."""
    if row["status"] == RS.PAUSED:
        return {"reason": row["pause_reason"]}
    if row["status"] == RS.CLOSED:
        return {
            "closure_type": row["closure_type"],
            "closure_reason": row["closure_reason"],
            "contact_after": row["contact_after"],
            "referral": referral.pk if referral else None,
        }
    return {}


def _exit_for(relationship: Relationship) -> str:
    """The referral's exit reason when its relationship closed, as closing it in the app
    gives: "mentoring completed" when planned, else the one matching the closure's code."""
    if relationship.closure_type == Relationship.ClosureType.PLANNED:
        return Referral.ExitReason.COMPLETED
    return REFERRAL_EXIT_FOR_CLOSURE.get(relationship.closure_reason, Referral.ExitReason.OTHER)


def _move_referrals(
    *,
    by: User,
    referrals: dict[int, Referral],
    relationships: list[Relationship],
    existing: dict[int, list[Relationship]],
) -> None:
    """Each person's referral follows their latest relationship, as matching and closure
    move it in the app (matched, then active or ended)."""
    new_for: dict[int, list[Relationship]] = defaultdict(list)
    for relationship in relationships:
        new_for[relationship.mentee_id].append(relationship)
    steps: list[ReferralStep] = []
    for mentee_pk, added in new_for.items():
        referral = referrals[mentee_pk]
        everything = sorted([*existing[mentee_pk], *added], key=lambda r: r.matched_on)
        latest = everything[-1]
        target = REFERRAL_FOR[latest.status]
        path: list[tuple[str, datetime.date]] = []
        if referral.status == FS.AWAITING_MATCH:
            path.append((FS.MATCHED, min(r.matched_on for r in added)))
        if target == FS.ACTIVE:
            path.append((FS.ACTIVE, latest.matched_on))
        elif target == FS.ENDED and latest.closed_on is not None:
            path.append((FS.ENDED, latest.closed_on))
        previous = referral.status
        for status, on in path:
            if status == previous:
                continue
            note = IMPORTED if status == FS.MATCHED else IMPORTED_GAP
            exit_reason = _exit_for(latest) if status == FS.ENDED else ""
            steps.append(ReferralStep(referral, status, on, note=note, exit_reason=exit_reason))
            previous = status
    referrals_transition_many(by=by, steps=steps)


# Meetings ------------------------------------------------------------------------------------

MEETING_REQUIRED = [
    "mentee_reference",
    "mentor_reference",
    "matched_on",
    "held_on",
    "mode",
    "initiated_by",
    "purpose",
]
MEETING_OPTIONAL = ["time", "duration_minutes", "outcome", "note_shared", "expenses"]
MEETING_REFUSED = {
    "note_private": PRIVATE_NOTES,
    "private_notes": PRIVATE_NOTES,
    "private_note": PRIVATE_NOTES,
    "concern": CONCERN,
}
INITIATORS = [(p.value, p.label) for p in (Party.MENTEE, Party.MENTOR, Party.COORDINATOR)]


class MeetingRow(forms.Form):
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
    duration_minutes = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=24 * 60,
        error_messages={"invalid": "Write the number of minutes, e.g. 45."},
    )
    mode = code_field(Meeting.Mode.choices, required=True)
    initiated_by = code_field(INITIATORS, required=True)
    outcome = code_field(Meeting.Outcome.choices)
    purpose = code_field(Meeting.Purpose.choices, required=True)
    note_shared = forms.CharField(required=False)
    expenses = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
        error_messages={"invalid": "Write an amount in pounds, e.g. 4.50."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
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
        data["outcome"] = data.get("outcome") or Meeting.Outcome.MET
        data["duration_minutes"] = data.get("duration_minutes") or 60
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
    mentees, mentors = _people(scheme, rows)
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
    seen: dict[tuple, int] = {}
    new: list[tuple[dict[str, Any], Relationship]] = []
    for line, row in rows:
        mentee, mentor = mentees.get(row["mentee_reference"]), mentors.get(row["mentor_reference"])
        problems = _reference_problems(line, mentee, mentor, row)
        relationship = relationships.get(_relationship_key(row))
        if not problems and relationship is None:
            problems.append(
                Problem(
                    line,
                    "matched_on",
                    f"No relationship {_describe(_relationship_key(row))}. "
                    "Import relationships first.",
                )
            )
        if relationship is not None:
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
            if not problems and key in present:
                report.already_present += 1
                continue
        report.problems += problems
        if not problems:
            new.append((row, relationship))
    if not report.ok or dry_run or not new:
        return report

    meetings = Meeting.objects.bulk_create(
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
    return report


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
