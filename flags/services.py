"""Writes to flags: a coordinator acknowledges one with the action taken, or resolves it by
hand; and any write that could change a flag asks for a sweep once it commits."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from flags.models import Action, Flag

logger = logging.getLogger(__name__)


@transaction.atomic
def flag_acknowledge(*, by: User, flag: Flag, action: str, note: str = "") -> Flag:
    """Say the flag has been seen and what was done about it. It stays live until the
    condition clears (or is resolved by hand), so the dashboard still shows it, marked."""
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if flag.status != Flag.Status.OPEN:
        raise ValidationError("This flag has already been acknowledged or resolved.")
    if action not in Action.values:
        raise ValidationError({"action": "Choose what was done."})
    note = note.strip()
    if action == Action.NO_ACTION_NEEDED and not note:
        raise ValidationError({"note": "Say why no action is needed."})
    flag.status = Flag.Status.ACKNOWLEDGED
    flag.acknowledged_at = timezone.now()
    flag.acknowledged_by = by
    flag.action = action
    flag.action_note = note
    flag.save(
        update_fields=["status", "acknowledged_at", "acknowledged_by", "action", "action_note"]
    )
    audit_record(
        actor=by,
        action="flag.acknowledged",
        target=flag,
        scheme=flag.scheme,
        detail={"kind": flag.kind, "action": action},
    )
    return flag


@transaction.atomic
def flag_resolve(*, by: User, flag: Flag, note: str) -> Flag:
    """Close a flag by hand, with why. The sweep will not raise the same flag again for two
    weeks even if its condition holds: the coordinator has looked and decided."""
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if flag.status == Flag.Status.RESOLVED:
        raise ValidationError("This flag is already resolved.")
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Say why it is resolved."})
    flag.status = Flag.Status.RESOLVED
    flag.resolved_at = timezone.now()
    flag.resolved_by = by
    flag.resolution_note = note
    flag.save(update_fields=["status", "resolved_at", "resolved_by", "resolution_note"])
    audit_record(
        actor=by,
        action="flag.resolved",
        target=flag,
        scheme=flag.scheme,
        detail={"kind": flag.kind},
    )
    return flag


def sweep_soon(*, scheme_id: int) -> None:
    """After the current transaction commits, ask the worker to sweep the scheme.

    If the broker is down the write still stands and this is only logged: the scheduled
    sweep every 15 minutes looks at everything, so nothing is lost, only later.
    """

    def enqueue() -> None:
        from flags.tasks import sweep_flags
        from mentoring.celery import app

        try:
            # One quick try: a person is waiting for this page, and Celery's own reconnect
            # loop would hold it for many seconds when the broker is down.
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, interval_start=0, timeout=2)
                sweep_flags.apply_async(
                    kwargs={"scheme_id": scheme_id}, connection=connection, retry=False
                )
        except Exception:  # broker unreachable: the next scheduled sweep catches up
            logger.warning(
                "Could not queue a sweep for scheme %s; the next one will catch up",
                scheme_id,
                exc_info=True,
            )

    transaction.on_commit(enqueue)
