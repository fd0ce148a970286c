from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.utils import timezone

from audit.chain import CHAINER_LOCK, GENESIS, SIGNED, chain_key, link, plain_detail, sign
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
    """Sign the events and save them: one INSERT (per 2,000), no lock. The chainer
    (``audit_chain_pending``) places them in the chain once their transaction has committed,
    so writing an event never waits for another request's."""
    if not events:
        return
    key = chain_key()
    # PostgreSQL's trigger replaces any time given with its own (the insert returns it): a
    # plain value is half the insert's cost of leaving the column to its database default,
    # which Django compiles as an expression per row. SQLite keeps its default: its own clock,
    # which the demo's travelling clock does not move.
    now = timezone.now() if connection.vendor == "postgresql" else None
    for event in events:
        event.detail = plain_detail(event.detail)
        event.mac = sign([getattr(event, f) for f in SIGNED], key)
        if now is not None:
            event.created_at = now
    AuditEvent.objects.bulk_create(events, batch_size=2000)


#: How many events the chainer places in one transaction.
CHAIN_BATCH = 2000


def audit_chain_pending(*, batch: int = CHAIN_BATCH) -> int:
    """Place every committed event not yet chained at the end of the chain, oldest (by id)
    first, a batch per short transaction; return how many were placed.

    Safe to run beside itself: each batch takes the chainer's lock for its own transaction
    only (PostgreSQL advisory lock; on SQLite every transaction takes the write lock), and a
    run that finds another chaining leaves the rest to it. Events of a transaction still open
    are not visible yet: a later run places them. Writers are never blocked: the chainer
    only sets ``seq`` and ``chain_hash`` on committed rows, which the append-only trigger
    allows once, from empty."""
    key, placed = chain_key(), 0
    while True:
        with transaction.atomic():
            if not _chainer_lock():
                return placed
            seq, previous = _chain_head()
            rows = list(
                AuditEvent.objects.filter(seq=None)
                .order_by("id")
                .values_list("id", "created_at", "mac")[:batch]
            )
            links = []
            for pk, created_at, mac in rows:
                seq += 1
                previous = link(previous, seq, created_at, mac, key)
                links.append((pk, seq, previous))
            _write_links(links)
        placed += len(rows)
        if len(rows) < batch:
            return placed


def _chain_head() -> tuple[int, str]:
    """The last placed event's ``seq`` and link (0 and the genesis before the first)."""
    head = (
        AuditEvent.objects.filter(seq__isnull=False)
        .order_by("-seq")
        .values_list("seq", "chain_hash")
        .first()
    )
    if head is None or head[0] is None or head[1] is None:
        return 0, GENESIS
    return head[0], head[1]


def _chainer_lock() -> bool:
    """The chainer's lock, to the end of this transaction; False if another chainer has it."""
    if connection.vendor != "postgresql":
        return True  # SQLite: the transaction holds the database's write lock already
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [CHAINER_LOCK])
        return bool(cursor.fetchone()[0])


def _write_links(links: list[tuple[int, int, str]]) -> None:
    if not links:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            ids, seqs, hashes = (list(column) for column in zip(*links, strict=True))
            cursor.execute(
                "UPDATE audit_auditevent AS e SET seq = v.seq, chain_hash = v.chain_hash "
                "FROM unnest(%s::bigint[], %s::bigint[], %s::varchar[]) "
                "AS v(id, seq, chain_hash) WHERE e.id = v.id",
                [ids, seqs, hashes],
            )
        else:
            cursor.executemany(
                "UPDATE audit_auditevent SET seq = %s, chain_hash = %s WHERE id = %s",
                [(seq, digest, pk) for pk, seq, digest in links],
            )


def audit_trail_viewed(*, by: User, filters: list[str], page: int) -> None:
    """Who read the trail, with which filters (by name) and which page, is on the trail."""
    audit_record(
        actor=by, action="audit.viewed", target=by, detail={"filters": filters, "page": page}
    )
