import smtplib

from celery import shared_task
from django.core.mail import send_mail

from core.services import heartbeat_record


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Run by the scheduler; proves a worker is consuming the queue."""
    heartbeat_record()


@shared_task(
    ignore_result=True,
    autoretry_for=(OSError, smtplib.SMTPException),
    max_retries=5,
    retry_backoff=30,  # then 60, 120, 240 and 480 seconds (with jitter): about 15 minutes
    retry_jitter=True,
)
def send_email(*, to: list[str], subject: str, body: str) -> None:
    """Send one email queued by ``core.mail.email_later``. The mail backend gives up on a
    server that does not answer after ``EMAIL_TIMEOUT`` seconds (a timeout is an OSError), and
    the task is tried again later. Not idempotent: a retry after a server that took the
    message but failed to say so may send it twice, which is better than never."""
    send_mail(subject, body, None, to)
