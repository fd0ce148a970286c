"""Writes to flags: a coordinator acknowledges one with the action taken, or resolves it by
hand. (Any write that could change a flag asks for a sweep with ``core.queue.sweep_soon``.)"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from audit.services import audit_build, audit_record, audit_save_many
from flags.models import Action, Flag


@transaction.atomic
def flag_viewed(*, flag: Flag, by: User) -> None:
    """A flag's page says why a relationship worries the watcher: reading it is recorded."""
    audit_record(actor=by, action="flag.viewed", target=flag, scheme=flag.scheme)


@transaction.atomic
def flag_acknowledge(*, by: User, flag: Flag, action: str, note: str = "") -> Flag:
    """Say the flag has been seen and what was done about it. It stays live until the
    condition clears (or is resolved by hand), so the dashboard still shows it, marked.

    "Not a useful flag" is the exception: the coordinator says the flag was wrong or no help,
    so it leaves the queue. It is resolved by hand at once (``resolved_by`` them, the reason as
    the resolution note), so the sweep keeps it quiet for ``HAND_RESOLVED_QUIET_DAYS`` like any
    hand resolution; and the rule's page counts it against the rule by its action
    (``flags.usefulness``). Both the acknowledgement and the resolution are audited."""
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if flag.status != Flag.Status.OPEN:
        raise ValidationError("This flag has already been acknowledged or resolved")
    if action not in Action.values:
        raise ValidationError({"action": "Choose what was done"})
    note = note.strip()
    if action == Action.NO_ACTION_NEEDED and not note:
        raise ValidationError({"note": "Say why no action is needed"})
    if action == Action.NOT_USEFUL and not note:
        raise ValidationError({"note": "Say why the flag is not useful"})
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
    if action == Action.NOT_USEFUL:
        flag.status = Flag.Status.RESOLVED
        flag.resolved_at = flag.acknowledged_at
        flag.resolved_by = by
        flag.resolution_note = note
        flag.save(update_fields=["status", "resolved_at", "resolved_by", "resolution_note"])
        audit_record(
            actor=by,
            action="flag.resolved",
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


#: The resolution note of a flag that ended with its relationship's closure. The sweep tells
#: these from flags resolved by hand by it: they do not keep a reopened relationship quiet.
CLOSED_WITH_RELATIONSHIP = "The relationship closed."


def resolved_with_closure() -> Q:
    """The flags that ended with their relationship's closure (``flags_resolve_for_closed``),
    the one place that says how they are told apart: resolved, with the closure's note.
    ``resolved_by`` cannot tell: a closure by an import has nobody, one by a coordinator
    names them, as a hand resolution does. (A coordinator typing exactly that note by hand
    would be read as a closure: their flag would not keep its condition quiet.) A field of
    its own would need a migration; the note is the marker until one is worth it."""
    return Q(status=Flag.Status.RESOLVED, resolution_note=CLOSED_WITH_RELATIONSHIP)


def flags_resolve_for_closed(*, relationship_ids: list[int], by: User | None) -> int:
    """Resolve the live flags of relationships that have just closed, in the closing
    transaction (called by ``relationships.transitions``), so no queue, dashboard or
    relationship page shows a live flag with an Acknowledge button on a closed relationship,
    even for the moment before the next sweep. ``resolved_by`` is the person who closed it;
    each flag's resolution is audited. Returns how many were resolved."""
    if not relationship_ids:
        return 0
    flags = list(
        Flag.objects.select_for_update()
        .filter(relationship_id__in=relationship_ids, status__in=Flag.LIVE_STATUSES)
        .only("pk", "kind", "scheme_id", "relationship_id")
    )
    if not flags:
        return 0
    now = timezone.now()
    Flag.objects.filter(pk__in=[f.pk for f in flags]).update(
        status=Flag.Status.RESOLVED,
        resolved_at=now,
        resolved_by=by,
        resolution_note=CLOSED_WITH_RELATIONSHIP,
    )
    audit_save_many(
        [
            audit_build(
                actor=by,
                action="flag.resolved_with_closure",
                target=f,
                scheme_id=f.scheme_id,
                detail={"kind": f.kind, "relationship": f.relationship_id},
            )
            for f in flags
        ]
    )
    return len(flags)
