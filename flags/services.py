"""Writes to flags: a coordinator acknowledges one with the action taken, or resolves it by
hand. (Any write that could change a flag asks for a sweep with ``core.queue.sweep_soon``.)"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from flags.models import Action, Flag


@transaction.atomic
def flag_viewed(*, flag: Flag, by: User) -> None:
    """A flag's page says why a relationship worries the watcher: reading it is recorded."""
    audit_record(actor=by, action="flag.viewed", target=flag, scheme=flag.scheme)


def flag_acknowledge(*, by: User, flag: Flag, action: str, note: str = "") -> Flag:
    """Say the flag has been seen and what was done about it. It stays live until the
    condition clears (or is resolved by hand), so the dashboard still shows it, marked."""
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if flag.status != Flag.Status.OPEN:
        raise ValidationError("This flag has already been acknowledged or resolved")
    if action not in Action.values:
        raise ValidationError({"action": "Choose what was done"})
    note = note.strip()
    if action == Action.NO_ACTION_NEEDED and not note:
        raise ValidationError({"note": "Say why no action is needed"})
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
        raise ValidationError("This flag is already resolved")
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Say why it is resolved"})
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
