"""The worker runs retention every day and deletes subject-access files every hour."""

from django.conf import settings

from audit.models import AuditEvent
from privacy.models import RetentionRun
from privacy.tasks import expire_subject_access, run_retention


def test_the_beat_runs_retention_daily_and_expires_files_hourly():
    """Both tasks are on the schedule, at a day and an hour."""
    schedule = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    assert schedule["privacy.tasks.run_retention"] == 24 * 60 * 60
    assert schedule["privacy.tasks.expire_subject_access"] == 60 * 60


def test_the_task_runs_one_scheme_or_all_and_is_audited(world):
    """With a scheme's id it runs that scheme; with none, every scheme; each run audited."""
    run_retention(world.scheme_a.pk)
    run_retention()
    expire_subject_access()
    assert RetentionRun.objects.count() == 2
    schemes = [e.detail["scheme"] for e in AuditEvent.objects.filter(action="retention.run")]
    assert sorted(schemes, key=str) == sorted([world.scheme_a.pk, None], key=str)
