"""Sign the events already written, and chain them again the new way, keeping their ``seq``.

They were chained by the first chain (0004, 0005): each event's link is checked against that
chain first. An event whose first-chain link holds gets a uuid and its MAC; one whose link
does not (slipped in by hand, or changed) gets a MAC that can never match, so ``audit_verify``
still reports it; a missing ``seq`` stays missing, so a removed event still shows as a gap.

The append-only trigger is lifted for this one transaction (the migration runs as the
table's owner) and put back before it commits. (On SQLite 0007 rebuilt the table, which drops
its triggers; 0009 puts them back.)
"""

import uuid

from django.db import migrations

from audit.chain import GENESIS, SIGNED, chain_key, link, sign
from audit.migrations import _chain_v1 as v1

PAGE = 2000
#: The MAC of an event that failed the first chain's check: not 64 hex digits of any HMAC.
NEVER_VALID = "-" * 64


def sign_existing(apps, schema_editor):
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
    key, old_previous, previous, after = chain_key(), v1.GENESIS, GENESIS, 0
    while True:
        page = list(AuditEvent.objects.filter(seq__gt=after).order_by("seq")[:PAGE])
        if not page:
            break
        rows = []
        for event in page:
            held = v1.link(old_previous, [getattr(event, f) for f in v1.FIELDS], key)
            old_previous = event.chain_hash
            event.uuid = uuid.uuid4()
            event.mac = (
                sign([getattr(event, f) for f in SIGNED], key)
                if held == event.chain_hash
                else NEVER_VALID
            )
            previous = link(previous, event.seq, event.created_at, event.mac, key)
            rows.append((event.uuid.hex, event.mac, previous, event.pk))
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE audit_auditevent SET uuid = %s, mac = %s, chain_hash = %s WHERE id = %s",
                rows,
            )
        after = page[-1].seq
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_sign_each_event")]

    operations = [migrations.RunPython(sign_existing, migrations.RunPython.noop)]
