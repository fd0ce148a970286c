"""Each event signed when written, and chained later by the chainer (audit/chain.py).

The columns: a random ``uuid`` and the event's ``mac`` (filled for the events already
written by 0008, then required by 0009); ``seq`` and ``chain_hash`` may now stay empty until
the chainer places the event; ``created_at`` defaults to the database's clock, so the
application no longer sends a time at all.
"""

from django.db import migrations, models

import audit.models


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_login_log_kept")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="uuid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="mac",
            field=models.CharField(
                default="", help_text="HMAC over the uuid and the fields.", max_length=64
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(
                blank=True, help_text="The event's place in the chain.", null=True, unique=True
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="chain_hash",
            field=models.CharField(
                blank=True, help_text="HMAC over the previous link.", max_length=64, null=True
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="created_at",
            field=models.DateTimeField(db_default=audit.models.DatabaseNow(), db_index=True),
        ),
    ]
