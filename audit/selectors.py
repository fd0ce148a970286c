import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import User
from accounts.selectors import user_roles
from audit.models import AuditEvent


def auditevent_visible_to(user: User | AnonymousUser) -> QuerySet[AuditEvent]:
    """The audit trail is for managers (management oversight); nobody else reads it."""
    if user_roles(user).is_manager:
        return AuditEvent.objects.all()
    return AuditEvent.objects.none()


def audit_events_filtered(
    events: QuerySet[AuditEvent],
    *,
    actor: User | None = None,
    target_type: str = "",
    target_id: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    if actor is not None:
        events = events.filter(actor=actor)
    if target_type:
        events = events.filter(target_type=target_type)
    if target_id:
        events = events.filter(target_id=target_id)
    if date_from:
        events = events.filter(created_at__date__gte=date_from)
    if date_to:
        events = events.filter(created_at__date__lte=date_to)
    return events.select_related("actor", "scheme")
