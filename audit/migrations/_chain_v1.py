"""The first chain's link (migrations 0004 and 0005), frozen here for those migrations and
for 0008, which checks the events chained that way before it signs them (audit/chain.py has
the chain as it is now). Not a migration: the loader skips modules starting with "_"."""

import datetime
import hashlib
import hmac
import json
from collections.abc import Sequence
from typing import Any

#: The hash before the first event.
GENESIS = "0" * 64
#: The first chain's advisory lock on PostgreSQL.
LOCK_KEY = 7_146_015
#: The fields each link covered, in order.
FIELDS = (
    "seq",
    "created_at",
    "actor_id",
    "action",
    "target_type",
    "target_id",
    "scheme_id",
    "detail",
)


def _canonical(values: Sequence[Any]) -> bytes:
    seq, created_at, actor_id, action, target_type, target_id, scheme_id, detail = values
    when = created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    fields = [seq, when, actor_id, action, target_type, target_id, scheme_id, detail]
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def link(previous: str, values: Sequence[Any], key: bytes) -> str:
    """The hash of one event in the first chain: its fields after the previous hash."""
    return hmac.new(key, previous.encode() + b"\n" + _canonical(values), hashlib.sha256).hexdigest()
