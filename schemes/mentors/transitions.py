"""The mentor pipeline: the only code that changes a mentor's status.

Every step, whether a coordinator takes it, an import or the demo data records it, goes
through ``mentor_transition`` (one mentor) or ``mentors_transition_many`` (a batch). Each
checks the step against ``MENTOR_TRANSITIONS`` and in date order, lets nobody become active
without a DBS check valid on the day, keeps the first day they were active as
``first_active_on``, writes the dated ``MentorStatusChange`` row of the timeline and audits
the step as ``mentor.status_changed``. Who may take a step (nobody vets themselves) is the
service's business: ``schemes.mentors.services.mentor_change_status``.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_build, audit_save_many
from schemes.models import (
    MENTOR_TRANSITIONS,
    DBSCheck,
    Mentor,
    MentorStatusChange,
    ReflectionNote,
)

S = Mentor.Status
#: Where an import may take a new mentor in one recorded jump from "applied": the statuses
#: its records give that the pipeline does not reach from "applied" in one step.
GAP_TARGETS = set(S.values) - {S.APPLIED, *MENTOR_TRANSITIONS[S.APPLIED]}


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def _check_step(mentor: Mentor, current: str, to_status: str) -> None:
    allowed = MENTOR_TRANSITIONS[current]
    if to_status in allowed:
        return
    if not allowed:
        message = f"{mentor} has left. Someone who comes back applies again"
    else:
        target = S(to_status).label if to_status in S else to_status
        options = " or ".join(s.label for s in allowed)
        message = (
            f"A mentor who is “{S(current).label}” cannot move to “{target}”. "
            f"From here they can move to: {options}"
        )
    raise ValidationError({"to_status": message})


def _check_date(mentor: Mentor, on: datetime.date, *, first: bool) -> None:
    if on > timezone.localdate():
        raise ValidationError({"on": "The date of the change cannot be in the future"})
    if not first and on < mentor.status_since:
        raise ValidationError(
            {
                "on": f"The change cannot be dated before their current status began "
                f"({_day(mentor.status_since)})"
            }
        )


def _refuse_unless_dbs_valid(checks: Iterable[DBSCheck], on: datetime.date) -> None:
    checks = list(checks)
    if any(check.is_valid_on(on) for check in checks):
        return
    if any(check.issued_on <= on < check.expires_on for check in checks):
        raise ValidationError(
            {
                "to_status": "Their DBS check is below enhanced level. Mentoring people in the "
                "justice system needs an enhanced check: record one first"
            }
        )
    expired = [check.expires_on for check in checks if check.expires_on <= on]
    if expired:
        raise ValidationError(
            {
                "to_status": f"Their DBS check expired on {_day(max(expired))}. Record a new "
                "check under Vetting before making them active"
            }
        )
    raise ValidationError(
        {
            "to_status": f"They need a DBS check valid on {_day(on)} before they can be "
            "active. Record it under Vetting first"
        }
    )


def _move(mentor: Mentor, to_status: str, on: datetime.date) -> None:
    """Set the step on the instance: the status, since when, and the first day active."""
    if to_status == S.ACTIVE and mentor.first_active_on is None:
        mentor.first_active_on = on
    mentor.status, mentor.status_since = to_status, on


def _written(
    mentor: Mentor, *, current: str, on: datetime.date, note: str, by: User | None
) -> tuple[MentorStatusChange, AuditEvent | None]:
    """The timeline row and audit event of a step taken (the first step, the application,
    is audited by the caller as the file's creation or import)."""
    change = MentorStatusChange(
        mentor=mentor,
        from_status=current,
        to_status=mentor.status,
        changed_on=on,
        by=by,
        note=note.strip(),
    )
    if not current:
        return change, None
    event = audit_build(
        actor=by,
        action="mentor.status_changed",
        target=mentor,
        scheme_id=mentor.scheme_id,
        detail={"from": current, "to": mentor.status, "on": on.isoformat()},
    )
    return change, event


@transaction.atomic
def mentor_transition(
    *, by: User | None, mentor: Mentor, to_status: str, on: datetime.date, note: str = ""
) -> Mentor:
    """Move one mentor one step through the pipeline, on a date, and put it on their
    timeline: checked, dated, attributed, audited.

    Only the steps in ``MENTOR_TRANSITIONS`` are allowed, in date order. Nobody becomes
    active without a DBS check valid on the day, and the first time they do is kept as
    ``first_active_on``. The row is locked and re-read first, so two coordinators changing
    the same mentor at once cannot both pass the checks on what they saw.
    """
    list(Mentor.objects.select_for_update().filter(pk=mentor.pk).values_list("pk"))
    mentor.refresh_from_db()
    current = mentor.status
    _check_step(mentor, current, to_status)
    _check_date(mentor, on, first=False)
    if to_status == S.ACTIVE:
        _refuse_unless_dbs_valid(mentor.dbs_checks.all(), on)
    _move(mentor, to_status, on)
    mentor.full_clean()
    mentor.save(update_fields=["status", "status_since", "first_active_on"])
    change, event = _written(mentor, current=current, on=on, note=note, by=by)
    change.save()
    if event is not None:
        audit_save_many([event])
    if to_status == S.LEFT:
        _forget_reflection([mentor.pk])
    return mentor


def _forget_reflection(mentor_ids: list[int]) -> None:
    """A mentor who leaves has no next supervision: their private reflection for it goes."""
    ReflectionNote.objects.filter(mentor_id__in=mentor_ids).delete()


@dataclass(frozen=True)
class MentorStep:
    """One step of one mentor in a batch (an import, the demo data)."""

    mentor: Mentor
    to_status: str
    on: datetime.date
    note: str = ""
    #: The application, the first row of every timeline ("" to "applied"): no audit event
    #: of its own, the caller records the creation (``mentor.created``, ``mentor.imported``).
    first: bool = False
    #: A jump from "applied" over steps the scheme's old records do not show (an import of
    #: someone already active or paused, ``GAP_TARGETS``): one row, that says so in its note.
    #: The import checks such a row's vetting against today, as its row form does, not
    #: against the day of the jump, which its records may not cover.
    gap: bool = False


def mentors_transition_many(*, by: User | None, steps: Sequence[MentorStep]) -> None:
    """The batch form of ``mentor_transition``, for imports and demo data: the same rules,
    the same timeline rows and the same ``mentor.status_changed`` audit events, written a
    few statements per batch (one more to read the DBS checks of those becoming active).

    Steps of one mentor are taken in the order given; the mentors must be saved and are
    updated in place (``status``, ``status_since``, ``first_active_on``).
    """
    checks = _dbs_checks_for(steps)
    changes: list[MentorStatusChange] = []
    events: list[AuditEvent] = []
    changed: dict[int, Mentor] = {}
    for step in steps:
        mentor = step.mentor
        current = "" if step.first else mentor.status
        if step.first:
            if step.to_status != S.APPLIED:
                raise ValueError(f"A mentor's first step is to applied, not {step.to_status!r}.")
        elif step.gap:
            if current != S.APPLIED or step.to_status not in GAP_TARGETS:
                raise ValueError(f"No imported gap from {current!r} to {step.to_status!r}.")
        else:
            _check_step(mentor, current, step.to_status)
        _check_date(mentor, step.on, first=step.first)
        if step.to_status == S.ACTIVE and not step.gap:
            _refuse_unless_dbs_valid(checks.get(mentor.pk, []), step.on)
        _move(mentor, step.to_status, step.on)
        change, event = _written(mentor, current=current, on=step.on, note=step.note, by=by)
        changes.append(change)
        if event is not None:
            events.append(event)
        changed[mentor.pk] = mentor
    Mentor.objects.bulk_update(
        list(changed.values()), ["status", "status_since", "first_active_on"], batch_size=2000
    )
    MentorStatusChange.objects.bulk_create(changes, batch_size=2000)
    audit_save_many(events)
    _forget_reflection([pk for pk, mentor in changed.items() if mentor.status == S.LEFT])


def _dbs_checks_for(steps: Sequence[MentorStep]) -> dict[int, list[DBSCheck]]:
    """The DBS checks of every mentor the batch makes active by a step of the pipeline."""
    ids = {s.mentor.pk for s in steps if s.to_status == S.ACTIVE and not s.gap}
    checks: dict[int, list[DBSCheck]] = {}
    if ids:
        for check in DBSCheck.objects.filter(mentor_id__in=ids):
            checks.setdefault(check.mentor_id, []).append(check)
    return checks
