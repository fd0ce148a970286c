from celery import shared_task
from django.db import DatabaseError, InterfaceError

from relationships.matching.offer_services import offers_lapse_due


@shared_task(
    ignore_result=True,
    acks_late=True,
    autoretry_for=(DatabaseError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def lapse_offers() -> int:
    """Close the offers of a match left unanswered past their deadline, on the schedule.
    Takes no case data; safe to run twice (an offer lapses once)."""
    return offers_lapse_due()
