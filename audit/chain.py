"""The audit trail's two keyed hashes: each event's own MAC, and the chain that orders them.

Why: the application's database role can insert rows (it must, to write events). The
append-only trigger stops it changing or deleting them, but a row inserted by raw SQL with a
forged actor would read like any other. So:

* **Each event is signed when it is written**: ``mac = HMAC-SHA256(key, its random uuid, actor,
  action, target, scheme, detail)``. The key lives in the application's settings
  (``AUDIT_CHAIN_KEY``, or derived from ``SECRET_KEY``), never in the database, so someone
  holding only the database role cannot sign a row; the uuid is unique, so a valid row copied
  is refused. Writing takes no lock and no extra round trip: one INSERT per batch.
* **The chainer orders them shortly after** (``audit.services.audit_chain_pending``, run by the
  worker every minute): it takes the committed events not yet chained, in id order, gives each
  the next ``seq`` and ``chain_hash = HMAC-SHA256(key, previous chain_hash, seq, created_at,
  mac)``. A row removed or slipped in among the chained ones breaks the chain there.

``created_at`` is set by the database (a trigger on PostgreSQL, a check on SQLite), so it is
not in the MAC, but the chain covers it.
"""

import datetime
import hashlib
import hmac
import json
from collections.abc import Sequence
from typing import Any

from django.conf import settings

#: The hash before the first event.
GENESIS = "0" * 64
#: The chainer's advisory lock on PostgreSQL (held only inside the chainer's own transaction).
CHAINER_LOCK = 7_146_016
#: The fields an event's MAC covers, in order.
SIGNED = ("uuid", "actor_id", "action", "target_type", "target_id", "scheme_id", "detail")


def chain_key() -> bytes:
    """The key MACs and links are made with: its own setting, or derived from SECRET_KEY (so a
    rotated SECRET_KEY breaks verification; production sets AUDIT_CHAIN_KEY on its own)."""
    own = getattr(settings, "AUDIT_CHAIN_KEY", "")
    if own:
        return str(own).encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"tandem.audit.chain", hashlib.sha256).digest()


def plain_detail(detail: dict[str, Any] | None) -> dict[str, Any]:
    """The detail as JSON will give it back (tuples as lists, keys as strings), so the MAC
    made before the insert is the MAC of what is read afterwards."""
    value: dict[str, Any] = json.loads(json.dumps(detail or {}))
    return value


def _json(values: Sequence[Any]) -> bytes:
    return json.dumps(
        list(values), sort_keys=True, separators=(",", ":"), ensure_ascii=True
    ).encode()


def sign(values: Sequence[Any], key: bytes) -> str:
    """An event's MAC: its ``SIGNED`` fields, in that order."""
    uid, *rest = values
    return hmac.new(key, b"event\n" + _json([str(uid), *rest]), hashlib.sha256).hexdigest()


def link(previous: str, seq: int, created_at: datetime.datetime, mac: str, key: bytes) -> str:
    """An event's place in the chain: the previous link, its ``seq``, its time and its MAC."""
    when = created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    body = previous.encode() + b"\n" + _json([seq, when, mac])
    return hmac.new(key, body, hashlib.sha256).hexdigest()
