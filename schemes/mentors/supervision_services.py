"""Supervision: the coordinator's reflective sessions with a mentor, the oversight that keeps
relationships from drifting into dependency."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from schemes.mentors.file_writes import not_in_future, refuse_own_file, save_record
from schemes.models import Mentor, SupervisionSession


@transaction.atomic
def mentor_supervision_log(
    *,
    mentor: Mentor,
    by: User,
    held_on: datetime.date,
    notes: str,
    next_due_on: datetime.date | None = None,
) -> SupervisionSession:
    """Record a reflective supervision session: the oversight that keeps relationships from
    drifting into dependency. The notes stay with coordinators and managers."""
    refuse_own_file(mentor, by)
    not_in_future("held_on", held_on, "date of the session")
    if not notes.strip():
        raise ValidationError({"notes": "Write a few words about the session"})
    if next_due_on is not None and next_due_on <= held_on:
        raise ValidationError({"next_due_on": "The next session must be due after this one"})
    session = SupervisionSession(
        mentor=mentor, held_on=held_on, notes=notes.strip(), next_due_on=next_due_on, by=by
    )
    save_record(session, by=by, action="mentor.supervision_logged", key="supervision")
    return session
