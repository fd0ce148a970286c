"""Every event chained (a unique place, a hash), and its time set by the database.

PostgreSQL: a trigger sets ``created_at`` to ``now()`` on every insert, whatever the insert
says, so neither the application nor raw SQL can date an event. The writer reads the same
``now()`` under the chain's lock to hash it (audit/chain.py), through ``audit_chain_head()``:
the lock, the time and the last event in one round trip. (The trigger's function runs only
for an insert that gives another time: the application's never do.)

SQLite (``make run``): a BEFORE trigger cannot change the row, so it refuses one whose
``created_at`` is missing or more than a minute from the database's own clock instead. The
changes above rebuild the table on SQLite, which drops its triggers: the append-only pair of
0002 is made again here.
"""

from django.db import migrations, models
from django.db.models.functions import Length
from django.db.models.lookups import Exact

from audit.migrations._chain_v1 import LOCK_KEY

PG_FORWARD = """
CREATE FUNCTION audit_event_stamp() RETURNS trigger AS $$
BEGIN
    NEW.created_at := now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_stamp
    BEFORE INSERT ON audit_auditevent
    FOR EACH ROW WHEN (NEW.created_at IS DISTINCT FROM now())
    EXECUTE FUNCTION audit_event_stamp();
CREATE FUNCTION audit_chain_head(OUT last_seq bigint, OUT last_hash varchar, OUT stamped timestamptz)
AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(LOCK_KEY);
    stamped := now();
    -- A volatile function's every query takes a fresh snapshot: this one sees every event
    -- committed before the lock was granted.
    SELECT seq, chain_hash INTO last_seq, last_hash
        FROM audit_auditevent ORDER BY seq DESC LIMIT 1;
END;
$$ LANGUAGE plpgsql VOLATILE;
""".replace("LOCK_KEY", str(LOCK_KEY))
PG_BACKWARD = """
DROP TRIGGER IF EXISTS audit_event_stamp ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_stamp();
DROP FUNCTION IF EXISTS audit_chain_head();
"""
SQLITE_FORWARD = [
    "CREATE TRIGGER IF NOT EXISTS audit_event_stamp BEFORE INSERT ON audit_auditevent "
    "WHEN NEW.created_at IS NULL OR julianday(NEW.created_at) IS NULL "
    "OR abs(julianday(NEW.created_at) - julianday('now')) * 86400 > 60 "
    "BEGIN SELECT RAISE(ABORT, 'audit events carry the database''s own time'); END;",
    "CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only (UPDATE refused)'); END;",
    "CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only (DELETE refused)'); END;",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS audit_event_stamp;"]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_chain_existing_events")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(help_text="The event's place in the chain.", unique=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="chain_hash",
            field=models.CharField(help_text="HMAC over the previous hash.", max_length=64),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="created_at",
            field=models.DateTimeField(db_index=True),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.CheckConstraint(
                condition=models.Q(seq__gte=1), name="audit_event_seq"
            ),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.CheckConstraint(
                condition=Exact(Length("chain_hash"), 64), name="audit_event_chain_hash"
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
