from celery import shared_task
from django.db import DatabaseError, InterfaceError

from flags.sweep import sweep


@shared_task(
    ignore_result=True,
    acks_late=True,
    autoretry_for=(DatabaseError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def sweep_flags(scheme_id: int | None = None) -> dict[str, int]:
    """The watcher: every 15 minutes for all schemes, and for one scheme after a write that
    could change its flags. Safe to run twice at once or to kill midway (see ``flags.sweep``)."""
    result = sweep(scheme_id=scheme_id)
    return {
        "relationships": result.relationships_checked,
        "referrals": result.referrals_checked,
        "raised": len(result.raised),
        "resolved": len(result.resolved),
    }
