"""The audit trail's hash chain: each event carries a keyed hash of itself and the one before.

Why: the application's database role can insert rows (it must, to write events). The
append-only trigger stops it changing or deleting them, but a row inserted by raw SQL with a
forged actor would read like any other. Each event therefore carries
``HMAC-SHA256(key, previous event's hash + this event's fields)``. The key lives in the
application's settings (``AUDIT_CHAIN_KEY``, or derived from ``SECRET_KEY``), never in the
database, so someone holding only the database role cannot make a valid link; and a row
removed, changed or slipped in breaks the chain at that point. ``manage.py audit_verify``
walks it.

The order is ``seq``: 1, 2, 3... with no gaps. Writers serialise on the chain's head (a
PostgreSQL advisory lock held to the end of the transaction; on SQLite, the write lock every
transaction takes up front), read the last event's ``seq`` and hash, and write theirs after
it; a batch takes the lock once. The unique ``seq`` is the backstop: two writers can never
fork the chain, at worst one fails.

Time: on PostgreSQL a trigger sets ``created_at`` to ``now()`` (the transaction's start)
whatever the insert says, and the writer hashes the same ``now()``, read under the lock. On
SQLite a trigger refuses a ``created_at`` more than a minute from the database's own clock.
"""

import datetime
import hashlib
import hmac
import json
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import connection

#: The hash before the first event.
GENESIS = "0" * 64
#: The audit chain's advisory lock on PostgreSQL (any constant unused elsewhere).
LOCK_KEY = 7_146_015
#: The fields each link covers, in order.
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


def chain_key() -> bytes:
    """The key links are made with: its own setting, or derived from SECRET_KEY (so a
    rotated SECRET_KEY breaks verification; production sets AUDIT_CHAIN_KEY on its own)."""
    own = getattr(settings, "AUDIT_CHAIN_KEY", "")
    if own:
        return str(own).encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"tandem.audit.chain", hashlib.sha256).digest()


def plain_detail(detail: dict[str, Any] | None) -> dict[str, Any]:
    """The detail as JSON will give it back (tuples as lists, keys as strings), so the hash
    made before the insert is the hash of what is read afterwards."""
    value: dict[str, Any] = json.loads(json.dumps(detail or {}))
    return value


def _canonical(values: Sequence[Any]) -> bytes:
    seq, created_at, actor_id, action, target_type, target_id, scheme_id, detail = values
    when = created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    fields = [seq, when, actor_id, action, target_type, target_id, scheme_id, detail]
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def link(previous: str, values: Sequence[Any], key: bytes) -> str:
    """The hash of one event: its fields (``FIELDS`` order) after the previous event's hash."""
    return hmac.new(key, previous.encode() + b"\n" + _canonical(values), hashlib.sha256).hexdigest()


def lock_head() -> tuple[int, str, datetime.datetime]:
    """Take the chain's lock (to the end of the transaction) and return the last event's
    ``seq`` and hash and the time the database will stamp on events written now.

    Must run inside a transaction: the lock and the time are the transaction's."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The lock (LOCK_KEY), now() and the last event read after the lock is granted,
            # in one round trip (migration 0005).
            cursor.execute("SELECT last_seq, last_hash, stamped FROM audit_chain_head()")
            seq, last, now = cursor.fetchone()
        else:  # SQLite: the transaction already holds the write lock (transaction_mode)
            cursor.execute("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")
            now = datetime.datetime.fromisoformat(cursor.fetchone()[0]).replace(tzinfo=datetime.UTC)
            cursor.execute("SELECT seq, chain_hash FROM audit_auditevent ORDER BY seq DESC LIMIT 1")
            seq, last = cursor.fetchone() or (None, None)
    return seq or 0, last or GENESIS, now
