"""What every write to a mentor's file shares: nobody writes their own file (except the parts a
mentor keeps up to date themselves), no date is in the future, and each record is validated,
saved and audited against the file."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from schemes.models import (
    DBSCheck,
    Mentor,
    PrisonClearance,
    Reference,
    SupervisionSession,
    TrainingRecord,
    UnavailablePeriod,
)
from schemes.selectors import is_own_mentor_file, refuse_left_mentor


def refuse_own_file(mentor: Mentor, by: User, *, self_service: bool = False) -> None:
    """Nobody vets, supervises or promotes themselves: whatever role ``by`` holds, they do not
    write their own file (a coordinator who also mentors, say). Every write to a file calls
    this, so no caller can skip it; ``mentor_for_write`` answers the pages with the same 403.

    ``self_service`` marks the few writes that are the mentor's own to make: their weekly
    free times, their time away and how to reach them (``own_mentor_file`` finds the file for
    those pages). Vetting, training, references, status, capacity and supervision stay
    someone else's to record. A mentor who has left writes none of them
    (``refuse_left_mentor``)."""
    if not is_own_mentor_file(by, mentor):
        return
    if not self_service:
        raise PermissionDenied
    refuse_left_mentor(mentor)


def not_in_future(field: str, value: datetime.date, what: str) -> None:
    if value > timezone.localdate():
        raise ValidationError({field: f"The {what} cannot be in the future"})


def save_record(
    record: DBSCheck
    | PrisonClearance
    | TrainingRecord
    | Reference
    | UnavailablePeriod
    | SupervisionSession,
    *,
    by: User,
    action: str,
    key: str,
) -> None:
    """Validate and save one of a mentor's records, and audit it against the mentor's file
    (so the file's trail shows everything done to it). The detail holds the record's id,
    never its free text."""
    record.full_clean()
    record.save()
    audit_record(
        actor=by,
        action=action,
        target=record.mentor,
        scheme=record.mentor.scheme,
        detail={key: record.pk},
    )
