"""The audit trail on SQLite (``make run``): events are signed when written, the chainer
places them, the database refuses every change but the chainer's, and a forged row is
reported. Run in a fresh SQLite database of its own, in a child process, as ``make run``
would (the suite itself runs on PostgreSQL)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
GUARD = 600  # seconds: a hang guard only (migrating a fresh database takes about 20 s)

SCRIPT = """
import uuid
from django.db import DatabaseError, connection, transaction
from audit.models import AuditEvent
from audit.services import audit_chain_pending, audit_record, audit_record_many
from schemes.models import Scheme

scheme = Scheme.objects.create(name="Northgate")
with transaction.atomic():
    audit_record(actor=None, action="t", target=scheme)
    audit_record_many(actor=None, action="t", targets=[scheme] * 5)
with transaction.atomic():
    event = audit_record(actor=None, action="t", target=scheme)
assert event.created_at is not None
assert audit_chain_pending(batch=4) == 7
with connection.cursor() as cursor:
    cursor.execute(
        "INSERT INTO audit_auditevent (uuid, mac, action, target_type, target_id, detail) "
        "VALUES (%s, %s, 'mentee.viewed', 'mentees.mentee', '1', '{}')",
        [uuid.uuid4().hex, "ab" * 32],
    )
refused = [
    "UPDATE audit_auditevent SET action = 'x' WHERE seq = 1",
    "UPDATE audit_auditevent SET seq = 99, chain_hash = chain_hash WHERE seq = 1",
    "DELETE FROM audit_auditevent WHERE seq = 1",
    "DELETE FROM audit_auditevent WHERE seq IS NULL",
    "INSERT INTO audit_auditevent (uuid, mac, action, target_type, target_id, detail, seq, "
    "chain_hash) VALUES ('x', '" + "a" * 64 + "', 't', 'x', '1', '{}', 50, '" + "b" * 64 + "')",
    "INSERT INTO audit_auditevent (uuid, mac, action, target_type, target_id, detail, "
    "created_at) VALUES ('y', '" + "a" * 64 + "', 't', 'x', '1', '{}', '2020-01-01 09:00')",
]
for sql in refused:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    except DatabaseError as error:
        print("refused:", error)
        continue
    raise AssertionError("not refused: " + sql)
print("written", AuditEvent.objects.count())
"""


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=GUARD,
        check=False,
    )


def test_on_sqlite_events_are_signed_chained_and_a_forged_one_reported(tmp_path):
    """Seven events written through the services and one inserted by hand: the database
    refuses every update and delete but the chainer's, and audit_verify reports the forged
    row, before and after the chainer has placed it, and nothing else."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", SECRET_KEY="sqlite-test")
    assert manage(env, "migrate", "--noinput", "-v0").returncode == 0
    run = manage(env, "shell", "-c", SCRIPT)
    assert run.returncode == 0, run.stderr
    assert "written 8" in run.stdout
    reasons = [line for line in run.stdout.splitlines() if line.startswith("refused: ")]
    assert [r.split(" (")[0].split(": ")[1] for r in reasons] == [
        "audit events are append-only",
        "audit events are append-only",
        "audit events are append-only",
        "audit events are append-only",
        "audit events are placed in the chain after they are written",
        "audit events carry the database's own time",
    ], reasons
    before = manage(env, "audit_verify")
    assert before.returncode == 1
    assert "Bad MAC at event id 8 (not chained yet" in before.stderr
    assert "Checked 7 chained audit events and 1 not yet chained" in before.stderr
    placed = manage(env, "shell", "-c", "from audit.tasks import chain_pending; chain_pending()")
    assert placed.returncode == 0, placed.stderr
    after = manage(env, "audit_verify")
    assert after.returncode == 1
    assert "Bad MAC at event id 8 (seq 8," in after.stderr and "1 bad MAC(s)" in after.stderr
    assert "Broken link" not in after.stderr
