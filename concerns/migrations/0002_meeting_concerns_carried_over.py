"""The words of every concern written on a meeting before concerns had a life of their own
become a Concern, received and not yet acknowledged, so the next step (the meeting's
``concern`` column goes) loses nothing. Who raised it is who logged the meeting.

Nobody could acknowledge a concern before this, so an old one is marked ``carried_over``: the
coordinators see it waiting at the top of their dashboard, but the worker never sends it to
the managers (it would send every old concern at once) and funder reports do not time its
acknowledgement (it would read as years late)."""

import datetime

from django.db import migrations, models


def carry_over(apps, schema_editor):
    Meeting = apps.get_model("relationships", "Meeting")
    Concern = apps.get_model("concerns", "Concern")
    meetings = (
        Meeting.objects.exclude(concern="")
        .select_related("relationship__mentee__scheme")
        .order_by("pk")
    )
    Concern.objects.bulk_create(
        Concern(
            scheme=m.relationship.mentee.scheme,
            mentee=m.relationship.mentee,
            relationship=m.relationship,
            meeting=m,
            raised_by_id=m.logged_by_id,
            raised_at=m.created_at,
            category="other",
            urgency="routine",
            words=m.concern.strip(),
            status="received",
            due_at=m.created_at
            + datetime.timedelta(hours=m.relationship.mentee.scheme.concern_acknowledge_hours),
            carried_over=True,
        )
        for m in meetings
        if m.concern.strip()
    )


def carry_back(apps, schema_editor):
    Meeting = apps.get_model("relationships", "Meeting")
    Concern = apps.get_model("concerns", "Concern")
    for concern in Concern.objects.exclude(meeting=None).order_by("pk"):
        Meeting.objects.filter(pk=concern.meeting_id).update(concern=concern.words)
    Concern.objects.exclude(meeting=None).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("concerns", "0001_concerns"),
        ("relationships", "0004_relationship_change_note"),
    ]

    operations = [
        migrations.AddField(
            model_name="concern",
            name="carried_over",
            field=models.BooleanField(
                default=False,
                help_text="Written on a meeting before Tandem tracked concerns: nobody could "
                "acknowledge it then, so it is never escalated or timed.",
            ),
        ),
        migrations.RunPython(carry_over, carry_back),
    ]
