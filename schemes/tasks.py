from celery import shared_task
from django.db import DatabaseError, InterfaceError
from django.utils import timezone

from schemes.mentors.expiry_reminders import expiry_reminders_send


@shared_task(
    ignore_result=True,
    acks_late=True,
    autoretry_for=(DatabaseError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def send_expiry_reminders() -> int:
    """Remind mentors and their coordinators of vetting about to expire, daily. Takes no case
    data; safe to run twice (each reminder is recorded, and sent once)."""
    return expiry_reminders_send(today=timezone.localdate())
