from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from audit.chain import FIELDS, chain_key, link, lock_head, plain_detail
from audit.models import AuditEvent

if TYPE_CHECKING:  # names for the signatures only: audit sits below the apps it records
    from accounts.models import User
    from schemes.models import Scheme


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    scheme: Scheme | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event. Every service that changes case data calls this, as do views
    that show a case record and every export.

    ``action`` is ``<entity>.<verb>`` (``mentee.viewed``, ``membership.added``). ``detail``
    holds ids and field names, never free text about the person.
    """
    event = audit_build(
        actor=actor,
        action=action,
        target=target,
        scheme_id=scheme.pk if scheme is not None else None,
        detail=detail,
    )
    audit_save_many([event])
    return event


def audit_record_many(
    *,
    actor: User | None,
    action: str,
    targets: Sequence[models.Model],
    scheme: Scheme | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """One audit event per target, written in one statement: for bulk work such as an
    import, where every record created must still be traceable to who created it."""
    scheme_id = scheme.pk if scheme is not None else None
    audit_save_many(
        [
            audit_build(actor=actor, action=action, target=t, scheme_id=scheme_id, detail=detail)
            for t in targets
        ]
    )


def audit_build(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    scheme_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """An audit event not yet saved: the transition functions build one per step, then
    save a whole batch with ``audit_save_many`` (one statement for an import of thousands)."""
    return AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        scheme_id=scheme_id,
        detail=detail or {},
    )


def audit_save_many(events: Sequence[AuditEvent]) -> None:
    """Chain the events after the last one written, in the order given, and save them.

    The chain's lock is taken once for the batch and held to the end of the transaction
    (audit/chain.py), so write audit events late in a transaction."""
    if not events:
        return
    key = chain_key()
    with transaction.atomic(savepoint=False):
        seq, previous, now = lock_head()
        for event in events:
            seq += 1
            event.seq, event.created_at = seq, now
            event.detail = plain_detail(event.detail)
            event.chain_hash = previous = link(previous, [getattr(event, f) for f in FIELDS], key)
        AuditEvent.objects.bulk_create(events, batch_size=2000)


def audit_trail_viewed(*, by: User, filters: list[str], page: int) -> None:
    """Who read the trail, with which filters (by name) and which page, is on the trail."""
    audit_record(
        actor=by, action="audit.viewed", target=by, detail={"filters": filters, "page": page}
    )
