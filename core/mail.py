"""Email from Tandem: one way out, so that no web request waits on a mail server.

Every email Tandem sends (notifications, password changes, a new sign-in device) goes through
``email_later``: it is sent after the caller's transaction commits, so an email never tells of
something that was rolled back.
"""

import logging
from collections.abc import Sequence

from django.core.mail import send_mail
from django.db import transaction

logger = logging.getLogger(__name__)


def email_later(*, to: Sequence[str], subject: str, body: str) -> None:
    """Send ``body`` to the addresses in ``to`` once the current transaction commits.

    A failure to send is logged, never raised: whatever the email reports has already
    happened and stays recorded in the app."""
    addresses = [address for address in to if address]
    if not addresses:
        return

    def send() -> None:
        try:
            send_mail(subject, body, None, addresses)
        except Exception:
            logger.exception("Could not send email %r to %d people", subject, len(addresses))

    transaction.on_commit(send)
