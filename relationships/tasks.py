from celery import shared_task
from django.db import DatabaseError, InterfaceError

from relationships.matching.offer_services import offers_lapse_due
from relationships.meetings.plan_worker import plans_ask_due, plans_remind_due


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


@shared_task(
    ignore_result=True,
    acks_late=True,
    autoretry_for=(DatabaseError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def remind_plans() -> int:
    """Remind each mentor of the meetings they planned for tomorrow, on the schedule. Takes
    no case data; safe to run twice and on two workers at once (a plan is reminded once)."""
    return plans_remind_due()


@shared_task(
    ignore_result=True,
    acks_late=True,
    autoretry_for=(DatabaseError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def ask_plans() -> int:
    """Ask each mentor "Did it happen?" about planned meetings whose time has passed, on the
    schedule. Safe to run twice and on two workers at once (a plan is asked about once)."""
    return plans_ask_due()
