from celery import shared_task
from django.db import DatabaseError, InterfaceError

from home import import_jobs

#: An import of a large workbook may take minutes: longer than the default task limits.
IMPORT_SOFT_LIMIT = 30 * 60


@shared_task(
    ignore_result=True,
    acks_late=True,
    autoretry_for=(DatabaseError, InterfaceError),
    retry_backoff=5,
    max_retries=3,
    soft_time_limit=IMPORT_SOFT_LIMIT,
    time_limit=IMPORT_SOFT_LIMIT + 60,
)
def run_import_job(job_id: int) -> None:
    """Check or import one uploaded file. A second delivery finds it running or finished and
    does nothing; one after a killed worker runs it again; one that finds another import
    into the scheme running queues it again for later rather than wait (import_jobs explains
    how)."""
    import_jobs.import_job_run(job_id=job_id)


@shared_task(ignore_result=True)
def run_waiting_imports() -> None:
    """Every minute: queue again, each as its own task, jobs queued while the broker was down
    and those whose worker died (it only queues, so it needs no long time limit)."""
    import_jobs.import_jobs_catch_up()


@shared_task(ignore_result=True)
def expire_imports() -> None:
    """Every hour: delete files checked but never imported, and old problem lists."""
    import_jobs.import_jobs_expire()
