"""A capacity request's state machine: the only code that sets ``CapacityRequest.status``.

A request waits (requested), then is approved or declined once, by a coordinator of the
mentor's scheme; an answer never moves again. Each step is dated, names who took it and writes
its audit event."""

import datetime

from django.core.exceptions import ValidationError

from accounts.models import User
from audit.services import audit_record
from schemes.models import CapacityRequest

CS = CapacityRequest.Status
CAPACITY_TRANSITIONS: dict[str, frozenset[str]] = {
    CS.REQUESTED: frozenset({CS.APPROVED, CS.DECLINED}),
    CS.APPROVED: frozenset(),
    CS.DECLINED: frozenset(),
}
#: The audit event of each answer.
ACTIONS = {CS.APPROVED: "mentor.capacity_approved", CS.DECLINED: "mentor.capacity_declined"}


def capacity_request_transition(
    *, capacity_request: CapacityRequest, to: str, by: User, at: datetime.datetime
) -> CapacityRequest:
    """Answer ``capacity_request`` (locked by the caller) with ``to``, at ``at``. The caller
    runs this in its transaction and changes the capacity itself on approval."""
    if to not in CAPACITY_TRANSITIONS[capacity_request.status]:
        raise ValidationError(
            "This request is already "
            f"“{capacity_request.get_status_display().lower()}”, so it cannot change now"
        )
    was = capacity_request.status
    capacity_request.status = to
    capacity_request.decided_by = by
    capacity_request.decided_on = at
    capacity_request.save(update_fields=["status", "decided_by", "decided_on"])
    mentor = capacity_request.mentor
    audit_record(
        actor=by,
        action=ACTIONS[CS(to)],
        target=mentor,
        scheme=mentor.scheme,
        detail={"request": capacity_request.pk, "from": was, "to": to},
    )
    return capacity_request
