from celery import shared_task
from django.db import DatabaseError, InterfaceError

from concerns.services import concerns_escalate_overdue


@shared_task(
    ignore_result=True,
    acks_late=True,
    autoretry_for=(DatabaseError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def escalate_overdue_concerns() -> int:
    """Every few minutes: concerns nobody acknowledged in time go to the managers. Takes no
    case data; safe to run twice at once (each concern is escalated once, under its lock)."""
    return concerns_escalate_overdue()
