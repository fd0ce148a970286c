"""Mentor files made before the pipeline existed get an application date (the day the file
was created) and a first timeline step, so every file has a start to measure from. They
start as "applied": nobody may be treated as vetted until a coordinator records it."""

from django.db import migrations
from django.utils import timezone


def backfill(apps, schema_editor):
    Mentor = apps.get_model("schemes", "Mentor")
    MentorStatusChange = apps.get_model("schemes", "MentorStatusChange")
    mentors = list(Mentor.objects.filter(applied_on__isnull=True))
    for mentor in mentors:
        mentor.applied_on = mentor.status_since = timezone.localdate(mentor.created_at)
        mentor.status = "applied"
    Mentor.objects.bulk_update(mentors, ["applied_on", "status_since", "status"], batch_size=2000)
    MentorStatusChange.objects.bulk_create(
        [
            MentorStatusChange(
                mentor=m, from_status="", to_status="applied", changed_on=m.applied_on
            )
            for m in mentors
        ],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [("schemes", "0002_mentor_profile_pipeline_and_records")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
