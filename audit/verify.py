"""Checking the audit trail (audit/chain.py): every event's MAC, and the chain's links.

Two streams, a chunk at a time through a server-side cursor, so memory stays flat however
long the trail: the chained events by ``seq`` (is each ``seq`` the next, does each link hold,
is each event's MAC right), then the events the chainer has not placed yet, by id (is each
MAC right; how many, and how old is the oldest). After a break the walk goes on from the
row's stored hash, so it counts every break, but the first is the one to investigate.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from audit.chain import GENESIS, SIGNED, chain_key, link, sign
from audit.models import AuditEvent

CHUNK = 2000
COLUMNS = ("id", "seq", "created_at", "mac", "chain_hash", *SIGNED)


@dataclass(frozen=True)
class Finding:
    """One event that fails a check: which row, and what is wrong with it."""

    id: int
    seq: int | None
    created_at: datetime.datetime
    problem: str


@dataclass
class Walk:
    checked: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS
    breaks: int = 0
    first: Finding | None = None
    bad_macs: int = 0
    first_bad_mac: Finding | None = None
    unchained: int = 0
    oldest_unchained_age: datetime.timedelta | None = None
    hashes: dict[int, str] = field(default_factory=dict)  # only the anchors asked for

    @property
    def unbroken(self) -> bool:
        return self.breaks == 0 and self.bad_macs == 0


def _check_mac(result: Walk, row: tuple[Any, ...], key: bytes) -> Finding | None:
    pk, seq, created_at, mac = row[:4]
    if sign(row[5:], key) == mac:
        return None
    result.bad_macs += 1
    return Finding(
        pk,
        seq,
        created_at,
        "its MAC does not match its fields: it was written without the audit key "
        "(inserted by hand) or changed",
    )


def walk(
    rows: Iterable[tuple[Any, ...]],
    unchained: Iterable[tuple[Any, ...]] = (),
    *,
    key: bytes,
    anchors: Iterable[int] = (),
    now: datetime.datetime | None = None,
) -> Walk:
    """Check the unchained rows (``COLUMNS`` order, by id), then the chained (by ``seq``)."""
    result, wanted = Walk(), set(anchors)
    # The unchained first: one the chainer places meanwhile is then seen twice, never missed.
    first_unchained_bad = None
    for row in unchained:
        bad = _check_mac(result, row, key)
        first_unchained_bad = first_unchained_bad or bad
        if now is not None:
            age = now - row[2]
            if result.oldest_unchained_age is None or age > result.oldest_unchained_age:
                result.oldest_unchained_age = age
        result.unchained += 1
    for row in rows:
        pk, seq, created_at, mac, stored = row[:5]
        bad = _check_mac(result, row, key)
        result.first_bad_mac = result.first_bad_mac or bad
        problems = []
        if seq != result.last_seq + 1:
            problems.append(
                f"expected seq {result.last_seq + 1} but found {seq}: "
                f"{seq - result.last_seq - 1} event(s) missing before it"
                if seq > result.last_seq + 1
                else f"seq {seq} out of order"
            )
        if link(result.last_hash, seq, created_at, mac, key) != stored:
            problems.append(
                "its link does not follow from the event before it: it was placed without "
                "the audit key, changed, or an event before it was removed"
            )
        if problems:
            result.breaks += 1
            if result.first is None:
                result.first = Finding(pk, seq, created_at, "; ".join(problems))
        if seq in wanted:
            result.hashes[seq] = stored
        result.checked += 1
        result.last_seq, result.last_hash = seq, stored
    result.first_bad_mac = result.first_bad_mac or first_unchained_bad
    return result


def audit_chain_walk(*, anchors: Iterable[int] = ()) -> Walk:
    """The whole trail, checked with the configured key."""
    events = AuditEvent.objects.order_by()
    chained = events.filter(seq__isnull=False).order_by("seq").values_list(*COLUMNS)
    unchained = events.filter(seq=None).order_by("id").values_list(*COLUMNS)
    return walk(
        chained.iterator(chunk_size=CHUNK),
        unchained.iterator(chunk_size=CHUNK),
        key=chain_key(),
        anchors=anchors,
        now=timezone.now(),
    )
