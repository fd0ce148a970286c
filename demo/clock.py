"""The app's own services, run as of a moment in the past.

The demo tells stories of the past weeks (a concern raised after a meeting last week,
acknowledged that afternoon; an offer that lapsed days ago) through the same services a
person or the worker uses, so their records, audit events and notifications are the ones the
app writes. Those services read the time from ``django.utils.timezone.now``; inside
``as_of(moment)`` it answers ``moment``, so everything written there is dated then and says
so: a notification names the deadline its record holds, and is itself dated when it was
sent. Dating rows back after the fact would leave the notifications' words behind.

Only seed_demo uses it, inside its one transaction; nothing in production imports demo/.
The patch is on the module, so every thread of the seeding process sees it while it lasts:
seed_demo runs in a process of its own (``make run`` starts it before the web app).
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone


@contextmanager
def as_of(moment: datetime.datetime) -> Iterator[datetime.datetime]:
    """Within the block, ``timezone.now()`` (and so ``localdate()`` and every
    ``auto_now_add``) is ``moment``, which must not be in the future."""
    if timezone.is_naive(moment):
        raise ValueError("as_of needs an aware datetime")
    if moment > timezone.now():
        raise ValueError("The demo tells only what has already happened")
    with mock.patch.object(timezone, "now", return_value=moment):
        yield moment
