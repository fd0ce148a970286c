"""The words of every concern written on a meeting before concerns had a life of their own
become a Concern, received and not yet acknowledged, so the next step (the meeting's
``concern`` column goes) loses nothing. Who raised it is who logged the meeting.

Nobody could acknowledge a concern before this, so an old one gets the scheme's time counted
from the upgrade, not from when it was written: the coordinators see the old concerns at the
top of their dashboard and have a day to acknowledge them before the worker sends each one to
the managers."""

import datetime

from django.db import migrations
from django.utils import timezone


def carry_over(apps, schema_editor):
    Meeting = apps.get_model("relationships", "Meeting")
    Concern = apps.get_model("concerns", "Concern")
    upgraded_at = timezone.now()
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
            due_at=max(m.created_at, upgraded_at)
            + datetime.timedelta(hours=m.relationship.mentee.scheme.concern_acknowledge_hours),
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

    operations = [migrations.RunPython(carry_over, carry_back)]
