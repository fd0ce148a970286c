"""Import past relationships from a spreadsheet (CSV); their meetings follow
(``relationships.meetings.imports``).

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
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record, audit_record_many
from core.imports import ImportReport, Problem, check_rows
from mentees.models import Mentee, Referral
from mentees.transitions import ReferralStep, referrals_transition_many
from relationships.import_rows import (
    RELATIONSHIP_OPTIONAL,
    RELATIONSHIP_REQUIRED,
    RelationshipRow,
    describe_match,
    people_in,
    reference_problems,
    relationship_key,
)
from relationships.life.closures import IMPORTED_EXIT_FOR_CLOSURE
from relationships.models import Pause, Relationship
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
REFERRAL_FOR: dict[str, Referral.Status] = {
    RS.INTRODUCED: FS.MATCHED,
    RS.ACTIVE: FS.ACTIVE,
    RS.PAUSED: FS.ACTIVE,
    RS.ENDING: FS.ACTIVE,
    RS.CLOSED: FS.ENDED,
}
NewRow = tuple[int, dict[str, Any], Mentee, Mentor]

# Relationships ------------------------------------------------------------------------------


@transaction.atomic
def relationships_import(
    *,
    by: User,
    scheme: Scheme,
    data: bytes,
    dry_run: bool = False,
    watched_from: datetime.date | None = None,
) -> ImportReport:
    """Check the whole file, then write every relationship, its history and the referral
    moves it implies, or nothing. Each relationship is watched from ``watched_from``, the
    scheme's go-live date: the watcher reads nothing before it."""
    report, rows = check_rows(
        data,
        required=RELATIONSHIP_REQUIRED,
        optional=RELATIONSHIP_OPTIONAL,
        row_form=RelationshipRow,
    )
    report.dry_run = dry_run
    if not rows:
        return report
    mentees, mentors = people_in(scheme, rows)
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
        for r in Referral.objects.filter(mentee__in=mentees.values())
        .select_related("mentee")
        .order_by("mentee_id", "referred_on", "id")
    }  # the latest referral per person wins
    new = _checked_lines(rows, mentees, mentors, present, report)
    timeline = _check_timelines(new, existing, report)
    _check_referrals(new, timeline, existing, referrals, report)
    report.problems.sort(key=lambda p: p.line)
    if not report.ok or dry_run or not new:
        return report
    created = _write_relationships(
        by=by, scheme=scheme, new=new, referrals=referrals, watched_from=watched_from
    )
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
    report.written["relationships"] = [r.pk for r in created]
    return report


def _checked_lines(
    rows: list[tuple[int, dict[str, Any]]],
    mentees: dict[str, Mentee],
    mentors: dict[str, Mentor],
    present: set[tuple[str, str, datetime.date]],
    report: ImportReport,
) -> list[NewRow]:
    """Each line on its own: known people, no repeats, a mentor active on the day. Lines
    already in Tandem are counted and left out."""
    seen: dict[tuple, int] = {}
    new: list[NewRow] = []
    for line, row in rows:
        mentee, mentor = mentees.get(row["mentee_reference"]), mentors.get(row["mentor_reference"])
        problems = reference_problems(line, mentee, mentor, row)
        key = relationship_key(row)
        if key in seen:
            problems.append(
                Problem(line, "", f"{describe_match(key)} is also on line {seen[key]}.")
            )
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
            elif mentor.status == Mentor.Status.LEFT and row["matched_on"] >= mentor.status_since:
                problems.append(
                    Problem(
                        line,
                        "matched_on",
                        f"{mentor.reference} left on {mentor.status_since:%Y-%m-%d}; a match "
                        "must begin while the mentor was active.",
                    )
                )
            elif row["status"] != RS.CLOSED and mentor.status == Mentor.Status.LEFT:
                problems.append(
                    Problem(line, "status", f"{mentor.reference} has left; close the match.")
                )
        report.problems += problems
        if problems or mentee is None or mentor is None:  # an unknown person is a problem
            continue
        if key in present:
            report.already_present += 1
            continue
        new.append((line, row, mentee, mentor))

    return new


Timeline = dict[int, list[tuple[datetime.date, str, datetime.date | None, int]]]


def _check_timelines(
    new: list[NewRow], existing: dict[int, list[Relationship]], report: ImportReport
) -> Timeline:
    """Each person: matches in date order, each closed before the next began."""
    timeline: Timeline = defaultdict(list)
    for line, row, mentee, _ in new:
        timeline[mentee.pk].append((row["matched_on"], row["status"], row["closed_on"], line))
    for mentee_pk, items in timeline.items():
        items += [(r.matched_on, r.status, r.closed_on, 0) for r in existing[mentee_pk]]
        items.sort(key=lambda i: (i[0], i[1] != RS.CLOSED))
        for earlier, later in itertools.pairwise(items):
            closed_on = earlier[2]  # set whenever the status is closed
            if earlier[1] == RS.CLOSED and closed_on is not None and closed_on <= later[0]:
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
    return timeline


def _check_referrals(
    new: list[NewRow],
    timeline: Timeline,
    existing: dict[int, list[Relationship]],
    referrals: dict[int, Referral],
    report: ImportReport,
) -> None:
    """The referral must be ready for these matches: awaiting one, since before the first."""
    first_line: dict[int, tuple[int, dict[str, Any]]] = {}
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


def _write_relationships(
    *,
    by: User,
    scheme: Scheme,
    new: list[NewRow],
    referrals: dict[int, Referral],
    watched_from: datetime.date | None,
) -> list[Relationship]:
    """Every new relationship with its history, through the transitions' batch form."""
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
            watched_from=watched_from,
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
    return created


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
    """The referral's exit reason when its relationship closed: "mentoring completed" when
    planned, as closing it in the app gives; else the one that says what the file's closure
    reason says and no more (``IMPORTED_EXIT_FOR_CLOSURE``), or "other"."""
    if relationship.closure_type == Relationship.ClosureType.PLANNED:
        return Referral.ExitReason.COMPLETED
    return IMPORTED_EXIT_FOR_CLOSURE.get(relationship.closure_reason, Referral.ExitReason.OTHER)


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
