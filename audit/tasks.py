from celery import shared_task

from audit import services


@shared_task(ignore_result=True)
def chain_pending() -> None:
    """Every minute: place the audit events written since the last run in the chain."""
    services.audit_chain_pending()
