from celery import shared_task
from django.db import DatabaseError, InterfaceError

from reports import services


@shared_task(
    ignore_result=True,
    acks_late=True,
    autoretry_for=(DatabaseError, InterfaceError),
    retry_backoff=5,
    max_retries=3,
)
def run_report_export(export_id: int) -> None:
    """Build one export. A second delivery of the same job finds it claimed and does nothing."""
    services.report_export_run(export_id=export_id)


@shared_task(ignore_result=True)
def run_waiting_exports() -> None:
    """Every minute: run exports asked for while the broker was down, so none is lost, and
    fail those whose worker died, so no page spins for ever."""
    services.report_exports_fail_stale()
    for export_id in services.report_exports_waiting().values_list("pk", flat=True)[:5]:
        services.report_export_run(export_id=export_id)


@shared_task(ignore_result=True)
def expire_exports() -> None:
    """Every hour: delete files past their time (``REPORT_FILE_HOURS``)."""
    services.report_exports_expire()
