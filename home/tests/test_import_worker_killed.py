"""A real worker killed (SIGKILL) in the middle of an import: nothing of its run is kept, the
job is not left spinning for ever, and the next run (here the scheduled catch-up, as the beat
would send it, queueing it again for a worker) imports it exactly once."""

import datetime
import time

import pytest
from django.conf import settings
from django.utils import timezone

from flags.tests.test_worker import worker
from home.import_jobs import import_job_confirm, import_job_run, import_job_upload
from home.import_jobs import import_jobs_catch_up as catch_up
from home.models import ImportJob
from home.tests.workbooks import cohort
from mentees.models import Mentee
from mentoring.celery import app

pytestmark = [
    pytest.mark.slow,
    pytest.mark.real_queue,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL.startswith("redis://"), reason="needs the test Redis"
    ),
]
#: Hang guard for the worker to reach the import: a hundred times what it needs here.
GUARD_SECONDS = 300
SIZES = {"mentees": 2500, "mentors": 10, "relationships": 100, "meetings": 200}


def status(job: ImportJob) -> str:
    job.refresh_from_db(fields=["status", "progress", "attempts"])
    return job.status


def test_a_worker_killed_mid_import_leaves_nothing_and_the_job_is_imported_once(world):
    """Killed while importing: no record written, the job still says importing (its lock
    freed with the dead connection); the catch-up runs it again and it imports once."""
    app.control.purge()
    job = import_job_upload(
        by=world.coordinator_a,
        scheme=world.scheme_a,
        kind="workbook",
        filename="history.xlsx",
        data=cohort(**SIZES),
    )
    import_job_run(job_id=job.pk)  # the check, here (its queued task then finds it checked)
    assert status(job) == ImportJob.Status.READY
    import_job_confirm(by=world.coordinator_a, job=job)
    with worker(settings.CELERY_BROKER_URL) as process:
        deadline = time.monotonic() + GUARD_SECONDS
        while not (status(job) == ImportJob.Status.IMPORTING and job.progress > 0):
            assert time.monotonic() < deadline, "the worker never started the import"
            time.sleep(0.05)
        process.kill()
        process.wait(timeout=30)
    assert status(job) == ImportJob.Status.IMPORTING and job.attempts == 1
    assert not Mentee.objects.filter(reference__startswith="HP-").exists()

    later = timezone.now() + datetime.timedelta(minutes=5)  # past the catch-up's grace
    assert catch_up(now=later) == 1  # queued again, for the next worker to take
    with worker(settings.CELERY_BROKER_URL):
        deadline = time.monotonic() + GUARD_SECONDS
        while status(job) != ImportJob.Status.DONE:
            assert time.monotonic() < deadline, "no worker ran the job the catch-up queued"
            time.sleep(0.05)
    assert job.attempts == 2
    catch_up(now=later)
    import_job_run(job_id=job.pk)  # the killed run's message, delivered again at last
    assert Mentee.objects.filter(reference__startswith="HP-").count() == SIZES["mentees"]
    job.refresh_from_db()
    assert job.content is None
