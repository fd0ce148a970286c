"""Email from Tandem: one way out, so that no web request waits on a mail server.

Every email Tandem sends (notifications, invitations and password resets, password changes, a
new sign-in device) goes through ``email_later``: once the caller's transaction commits (so
an email never tells of something that was rolled back), it is queued for the worker, which
sends it (``core.tasks.send_email``) with ``EMAIL_TIMEOUT`` on the connection and tries again
later if the mail server is down. The task gets only the addresses, subject and body.
"""

import logging
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction

from core.queue import enqueue

logger = logging.getLogger(__name__)

#: Named rather than imported: core.tasks imports the services, which send email.
SEND_EMAIL_TASK = "core.tasks.send_email"
#: A process that sends no email (seeding the demo data sets it) queues none for the worker
#: either, whose own backend would send it.
NO_EMAIL = "django.core.mail.backends.dummy.EmailBackend"


def email_later(*, to: Sequence[str], subject: str, body: str) -> None:
    """Have the worker send ``body`` to the addresses in ``to`` once the current transaction
    commits.

    A broker that cannot be reached is logged, never raised: whatever the email reports has
    already happened and stays recorded in the app."""
    addresses = [address for address in to if address]
    if not addresses or settings.EMAIL_BACKEND == NO_EMAIL:
        return

    def queue() -> None:
        if not enqueue(SEND_EMAIL_TASK, to=addresses, subject=subject, body=body):
            logger.error("Email %r to %d people was not queued", subject, len(addresses))

    transaction.on_commit(queue)
