from celery import shared_task
from django.db import DatabaseError, InterfaceError

from privacy import services


@shared_task(
    ignore_result=True,
    acks_late=True,
    autoretry_for=(DatabaseError, InterfaceError),
    retry_backoff=60,
    max_retries=3,
)
def run_retention(scheme_id: int | None = None) -> None:
    """Daily: anonymise people past their scheme's retention period and delete private notes
    past its days after closure. Safe to run twice: the second run finds nothing to do."""
    services.retention_run(scheme_id=scheme_id)


@shared_task(ignore_result=True)
def expire_subject_access() -> None:
    """Hourly: delete subject-access files past ``REPORT_FILE_HOURS``."""
    services.subject_access_expire()
