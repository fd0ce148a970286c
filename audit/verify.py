"""Walking the audit chain (audit/chain.py) to find the first broken link.

Streams the events in ``seq`` order a chunk at a time, so memory stays flat however long the
trail. After a break the walk goes on from the row's stored hash, so it can count every
break, but the first is the one to investigate: everything after it is suspect.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from audit.chain import FIELDS, GENESIS, chain_key, link
from audit.models import AuditEvent

CHUNK = 2000
COLUMNS = ("id", *FIELDS, "chain_hash")


@dataclass(frozen=True)
class Break:
    """One broken link: which row, and what is wrong with it."""

    id: int
    seq: int
    created_at: datetime.datetime
    problem: str


@dataclass
class Walk:
    checked: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS
    breaks: int = 0
    first: Break | None = None
    hashes: dict[int, str] = field(default_factory=dict)  # only the anchors asked for

    @property
    def unbroken(self) -> bool:
        return self.breaks == 0


def walk(rows: Iterable[tuple[Any, ...]], *, key: bytes, anchors: Iterable[int] = ()) -> Walk:
    """Check each row (``COLUMNS`` order, by ``seq``) against the one before."""
    result, wanted = Walk(), set(anchors)
    for row in rows:
        pk, values, stored = row[0], row[1:-1], row[-1]
        seq, created_at = values[0], values[1]
        problems = []
        if seq != result.last_seq + 1:
            problems.append(
                f"expected seq {result.last_seq + 1} but found {seq}: "
                f"{seq - result.last_seq - 1} event(s) missing before it"
                if seq > result.last_seq + 1
                else f"seq {seq} out of order"
            )
        if link(result.last_hash, values, key) != stored:
            problems.append(
                "its hash does not match its fields and the event before it: it was written "
                "without the chain's key (inserted by hand), changed, or an event before it "
                "was removed"
            )
        if problems:
            result.breaks += 1
            if result.first is None:
                result.first = Break(pk, seq, created_at, "; ".join(problems))
        if seq in wanted:
            result.hashes[seq] = stored
        result.checked += 1
        result.last_seq, result.last_hash = seq, stored
    return result


def audit_chain_walk(*, anchors: Iterable[int] = ()) -> Walk:
    """The whole trail, checked with the configured key."""
    rows = AuditEvent.objects.order_by("seq").values_list(*COLUMNS).iterator(chunk_size=CHUNK)
    return walk(rows, key=chain_key(), anchors=anchors)
