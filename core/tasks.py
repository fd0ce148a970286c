from celery import shared_task

from core.services import heartbeat_record


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Run by the scheduler; proves a worker is consuming the queue."""
    heartbeat_record()
