"""A concern's life: the only code that changes a concern's status.

Received → acknowledged → closed. Each step is checked against ``STEPS``, dated with who
took it, and audited (``concern.acknowledged``, ``concern.closed``). What is particular to a
step (the outcome and note of a closing) is given by the service that asks for it
(``concerns.services``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from audit.services import audit_record
from concerns.models import Concern

Status = Concern.Status

#: Where a concern may go next.
STEPS: dict[str, set[str]] = {
    Status.RECEIVED: {Status.ACKNOWLEDGED},
    Status.ACKNOWLEDGED: {Status.CLOSED},
    Status.CLOSED: set(),
}
AUDIT_ACTIONS: dict[str, str] = {
    Status.ACKNOWLEDGED: "concern.acknowledged",
    Status.CLOSED: "concern.closed",
}


@transaction.atomic
def concern_transition(
    *,
    by: User,
    concern: Concern,
    to_status: str,
    at: datetime.datetime,
    outcome: str = "",
    closing_note: str = "",
) -> Concern:
    """Move ``concern`` one step, as ``by`` at ``at``. Closing needs an ``outcome``."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if to_status not in STEPS[concern.status]:
        now = Status(concern.status).label.lower()
        raise ValidationError(
            f"This concern is {now}: it cannot be {Status(to_status).label.lower()} now"
        )
    fields = ["status"]
    if to_status == Status.ACKNOWLEDGED:
        concern.acknowledged_by, concern.acknowledged_at = by, at
        fields += ["acknowledged_by", "acknowledged_at"]
    elif to_status == Status.CLOSED:
        if not outcome:
            raise ValidationError({"outcome": "Select how the concern ended"})
        concern.closed_by, concern.closed_at = by, at
        concern.outcome, concern.closing_note = outcome, closing_note.strip()
        fields += ["closed_by", "closed_at", "outcome", "closing_note"]
    concern.status = to_status
    concern.save(update_fields=fields)
    detail: dict[str, object] = {"mentee": concern.mentee_id}
    if to_status == Status.ACKNOWLEDGED:
        detail["in_time"] = at <= concern.due_at  # what a report may count, never the words
    else:
        detail["outcome"] = outcome
    audit_record(
        actor=by,
        action=AUDIT_ACTIONS[to_status],
        target=concern,
        scheme=concern.scheme,
        detail=detail,
    )
    return concern
