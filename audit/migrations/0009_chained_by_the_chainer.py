"""The rules the database keeps now that events are signed when written and chained later.

* Every event has its own uuid (unique: a valid row copied is refused) and a MAC.
* An insert may not place an event in the chain (``seq``, ``chain_hash`` must be empty):
  only the chainer does that.
* The append-only trigger allows exactly one update: ``seq`` and ``chain_hash`` both set
  from empty, nothing else changed. Every other update, and every delete, is refused.
* ``audit_chain_head()`` (the writers' lock of the first chain) is gone: writers take no lock.

On SQLite the changes above rebuild the table, which drops its triggers: all are made again
here.
"""

import uuid

from django.db import migrations, models
from django.db.models.functions import Length
from django.db.models.lookups import Exact

from audit.migrations._chain_v1 import LOCK_KEY

#: Every column but the two the chainer sets.
KEPT = (
    "id",
    "uuid",
    "mac",
    "actor_id",
    "action",
    "target_type",
    "target_id",
    "scheme_id",
    "created_at",
    "detail",
)
PLACED_LATER = "audit events are placed in the chain after they are written"
PG_FORWARD = f"""
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND OLD.chain_hash IS NULL
       AND NEW.seq IS NOT NULL AND NEW.chain_hash IS NOT NULL
       AND ({", ".join("NEW." + c for c in KEPT)})
           IS NOT DISTINCT FROM ({", ".join("OLD." + c for c in KEPT)}) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION audit_event_stamp() RETURNS trigger AS $$
BEGIN
    IF NEW.seq IS NOT NULL OR NEW.chain_hash IS NOT NULL THEN
        RAISE EXCEPTION '{PLACED_LATER}' USING ERRCODE = 'insufficient_privilege';
    END IF;
    NEW.created_at := now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER audit_event_stamp ON audit_auditevent;
CREATE TRIGGER audit_event_stamp
    BEFORE INSERT ON audit_auditevent
    FOR EACH ROW
    WHEN (NEW.created_at IS DISTINCT FROM now() OR NEW.seq IS NOT NULL
          OR NEW.chain_hash IS NOT NULL)
    EXECUTE FUNCTION audit_event_stamp();
DROP FUNCTION IF EXISTS audit_chain_head();
"""
# Back to the first chain's rules (0002, 0005).
PG_BACKWARD = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION audit_event_stamp() RETURNS trigger AS $$
BEGIN
    NEW.created_at := now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER audit_event_stamp ON audit_auditevent;
CREATE TRIGGER audit_event_stamp
    BEFORE INSERT ON audit_auditevent
    FOR EACH ROW WHEN (NEW.created_at IS DISTINCT FROM now())
    EXECUTE FUNCTION audit_event_stamp();
CREATE FUNCTION audit_chain_head(OUT last_seq bigint, OUT last_hash varchar, OUT stamped timestamptz)
AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(LOCK_KEY);
    stamped := now();
    SELECT seq, chain_hash INTO last_seq, last_hash
        FROM audit_auditevent ORDER BY seq DESC LIMIT 1;
END;
$$ LANGUAGE plpgsql VOLATILE;
""".replace("LOCK_KEY", str(LOCK_KEY))
SQLITE_FORWARD = [
    "CREATE TRIGGER IF NOT EXISTS audit_event_stamp BEFORE INSERT ON audit_auditevent "
    "WHEN NEW.created_at IS NULL OR julianday(NEW.created_at) IS NULL "
    "OR abs(julianday(NEW.created_at) - julianday('now')) * 86400 > 60 "
    "BEGIN SELECT RAISE(ABORT, 'audit events carry the database''s own time'); END;",
    "CREATE TRIGGER IF NOT EXISTS audit_event_placed_later BEFORE INSERT ON audit_auditevent "
    "WHEN NEW.seq IS NOT NULL OR NEW.chain_hash IS NOT NULL "
    f"BEGIN SELECT RAISE(ABORT, '{PLACED_LATER}'); END;",
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent "
    "WHEN NOT (OLD.seq IS NULL AND OLD.chain_hash IS NULL "
    "AND NEW.seq IS NOT NULL AND NEW.chain_hash IS NOT NULL AND "
    + " AND ".join(f"NEW.{c} IS OLD.{c}" for c in KEPT)
    + ") BEGIN SELECT RAISE(ABORT, 'audit events are append-only (UPDATE refused)'); END;",
    "CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only (DELETE refused)'); END;",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_event_placed_later;",
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only (UPDATE refused)'); END;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)  # the % in RAISE is not a placeholder
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0008_sign_existing_events")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="mac",
            field=models.CharField(help_text="HMAC over the uuid and the fields.", max_length=64),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(("seq", None)), fields=["id"], name="audit_event_unchained"
            ),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.CheckConstraint(
                condition=models.Q(seq=None, chain_hash=None)
                | models.Q(seq__isnull=False, chain_hash__isnull=False),
                name="audit_event_placed_whole",
            ),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.CheckConstraint(
                condition=Exact(Length("mac"), 64), name="audit_event_mac"
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
