"""Queue background work from a request without ever holding the person up.

With the broker down, Celery's own reconnect loop would keep a page waiting for many seconds
(measured: 12.5 s). ``enqueue`` makes one quick connection attempt and reports failure instead;
every caller has a scheduled task that catches up on whatever was not queued.
"""

import logging
from typing import Any

from celery import Task, current_app
from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def enqueue(task: Task | str, **kwargs: Any) -> bool:
    """Send ``task`` (a task, or a task's registered name) now if the broker answers at once;
    True when it was queued."""
    app = current_app  # the project's Celery app, set up with Django (mentoring/__init__.py)
    name = task if isinstance(task, str) else task.name
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=2)
            if isinstance(task, str):
                app.send_task(task, kwargs=kwargs, connection=connection, retry=False)
            else:
                # Celery documents ``connection`` among apply_async's options; the stubs omit it.
                task.apply_async(kwargs=kwargs, connection=connection, retry=False)  # type: ignore[call-arg]
        return True
    except Exception:  # broker unreachable: the caller's scheduled task catches up
        logger.warning(
            "Could not queue %s(%s); it will be picked up later", name, kwargs, exc_info=True
        )
        return False


#: The watcher's task, named rather than imported: any app may ask for a sweep after a write,
#: and the watcher (``flags``) sits above every app it watches.
SWEEP_TASK = "flags.tasks.sweep_flags"


#: The watcher's check of one relationship, named for the same reason.
SWEEP_RELATIONSHIP = "flags.sweep.sweep_relationship"


def sweep_soon(*, scheme_id: int, relationship_id: int | None = None) -> None:
    """After the current transaction commits, ask the worker to sweep the scheme.

    If the broker is down the write still stands and this is only logged: the scheduled
    sweep every 15 minutes looks at everything, so nothing is lost, only later.

    A write to one relationship names it (``relationship_id``): that relationship is also
    swept at once, once the transaction commits and before the request answers, so the page
    confirming the write (a meeting logged, a review recorded, a plan answered) shows the
    flags and the mentor's prompts as they now are. Should that sweep fail, the write still
    stands (the error is logged) and the scheme's sweep catches up.
    """
    if relationship_id is not None:
        _sweep_relationship_on_commit(scheme_id, relationship_id)

    connection = transaction.get_connection()
    # One write often takes several steps (a meeting, the relationship, the referral), each
    # asking for a sweep: within one transaction a scheme is swept once. Callbacks of a
    # rolled-back savepoint leave ``run_on_commit``, so a later step asks again.
    for _, waiting, _ in connection.run_on_commit:
        if getattr(waiting, "sweep_scheme_id", None) == scheme_id:
            return

    def send() -> None:
        enqueue(SWEEP_TASK, scheme_id=scheme_id)

    send.sweep_scheme_id = scheme_id  # type: ignore[attr-defined]  # a tag on the callback
    transaction.on_commit(send)


def _sweep_relationship_on_commit(scheme_id: int, relationship_id: int) -> None:
    connection = transaction.get_connection()
    for _, waiting, _ in connection.run_on_commit:
        if getattr(waiting, "sweep_relationship_id", None) == relationship_id:
            return

    def sweep_now() -> None:
        import_string(SWEEP_RELATIONSHIP)(scheme_id=scheme_id, relationship_id=relationship_id)

    sweep_now.sweep_relationship_id = relationship_id  # type: ignore[attr-defined]
    transaction.on_commit(sweep_now, robust=True)
