from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import models

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
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        scheme=scheme,
        detail=detail or {},
    )


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
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor if actor is not None and actor.is_authenticated else None,
                action=action,
                target_type=target._meta.label_lower,
                target_id=str(target.pk),
                scheme=scheme,
                detail=detail or {},
            )
            for target in targets
        ],
        batch_size=2000,
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
    AuditEvent.objects.bulk_create(events, batch_size=2000)
