"""Reads for a mentor's own pages: their vetting and supervision dates in plain words, and
what is waiting on their file. Never a supervision's notes: those are the coordinators'."""

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format

from accounts.models import User
from accounts.permissions import can_write_case
from schemes.models import CapacityRequest, Mentor, ReflectionNote


def in_days(day: datetime.date, today: datetime.date) -> str:
    """How far ``day`` is from ``today``, as a person says it."""
    days = (day - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    if days > 0:
        return f"in {days} days"
    return f"{-days} days ago"


def _on(day: datetime.date) -> str:
    return date_format(day, "j F Y")


@dataclass(frozen=True)
class DateLine:
    text: str
    warn: bool = False


def own_dates(mentor: Mentor, today: datetime.date) -> list[DateLine]:
    """The mentor's DBS check, prison clearances, training and supervision, one sentence
    each ("Your DBS check expires on 3 March 2027, in 45 days"). ``warn`` marks what has run
    out or runs out within the scheme's first reminder."""
    soon = today + datetime.timedelta(days=mentor.scheme.expiry_first_reminder_days)
    lines: list[DateLine] = []
    checks = sorted(mentor.dbs_checks.all(), key=lambda c: c.expires_on, reverse=True)
    if checks:
        check = checks[0]
        level = check.get_level_display().lower()
        verb = "expires" if check.expires_on > today else "expired"
        lines.append(
            DateLine(
                f"Your DBS check ({level}) {verb} on {_on(check.expires_on)}, "
                f"{in_days(check.expires_on, today)}.",
                warn=check.expires_on <= soon,
            )
        )
    else:
        lines.append(DateLine("No DBS check is on your file yet: ask your coordinator.", True))
    latest: dict[str, object] = {}
    for clearance in sorted(mentor.clearances.all(), key=lambda c: c.expires_on, reverse=True):
        key = clearance.establishment.casefold()
        if key in latest:
            continue
        latest[key] = clearance
        verb = "expires" if clearance.expires_on > today else "expired"
        lines.append(
            DateLine(
                f"Your clearance for {clearance.establishment} {verb} on "
                f"{_on(clearance.expires_on)}, {in_days(clearance.expires_on, today)}.",
                warn=clearance.expires_on <= soon,
            )
        )
    for record in mentor.training.all():
        lines.append(DateLine(f"You completed “{record.module}” on {_on(record.completed_on)}."))
    sessions = list(mentor.supervisions.all()[:1])
    if sessions:
        session = sessions[0]
        text = f"Your last supervision was on {_on(session.held_on)}."
        if session.next_due_on:
            due = session.next_due_on
            text += f" The next is due on {_on(due)}, {in_days(due, today)}."
        lines.append(DateLine(text, warn=bool(session.next_due_on and session.next_due_on < today)))
    else:
        lines.append(DateLine("You have not had a supervision session recorded yet."))
    return lines


def latest_capacity_request(mentor: Mentor) -> CapacityRequest | None:
    return mentor.capacity_requests.select_related("decided_by").first()


def reflection_of(mentor: Mentor) -> ReflectionNote | None:
    return ReflectionNote.objects.filter(mentor=mentor).first()


def reflection_shared_on(mentor: Mentor, *, viewer: User) -> ReflectionNote | None:
    """The mentor's reflection as staff may see it on the file: only if the mentor shared it,
    and only to a coordinator of the mentor's scheme (``can_write_case``), who supervises
    them. Never to a manager, who reads every file but supervises nobody, nor to the mentor's
    own account through the staff page."""
    if mentor.user_id == viewer.pk or not can_write_case(viewer, mentor.scheme_id):
        return None
    return ReflectionNote.objects.filter(mentor=mentor, shared=True).first()


def capacity_request_waiting(mentor: Mentor) -> CapacityRequest | None:
    return mentor.capacity_requests.filter(status=CapacityRequest.Status.REQUESTED).first()
