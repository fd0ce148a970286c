"""Chain the events written before the chain existed, once, in the order they were written
(their id). Their times were set by the application then, so the chain vouches that they
have not changed since this migration, not for how they were first written.

The append-only trigger is lifted for this one transaction (the migration runs as the
table's owner) and put back before it commits. (On SQLite the table was rebuilt by 0003,
which drops its triggers; 0005 puts them back.)
"""

from django.db import migrations

from audit.chain import chain_key
from audit.migrations._chain_v1 import FIELDS, GENESIS, link

PAGE = 2000


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    connection = schema_editor.connection
    vendor = connection.vendor
    if not AuditEvent.objects.exists():
        return
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        elif vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
    key, seq, previous, after = chain_key(), 0, GENESIS, 0
    while True:
        page = list(AuditEvent.objects.filter(pk__gt=after).order_by("pk")[:PAGE])
        if not page:
            break
        rows = []
        for event in page:
            seq += 1
            event.seq = seq
            previous = link(previous, [getattr(event, f) for f in FIELDS], key)
            rows.append((seq, previous, event.pk))
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE audit_auditevent SET seq = %s, chain_hash = %s WHERE id = %s", rows
            )
        after = page[-1].pk
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chain_fields")]

    operations = [migrations.RunPython(chain_existing, migrations.RunPython.noop)]
