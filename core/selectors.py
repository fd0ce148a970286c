import datetime
import logging
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from kombu import Connection

from accounts.models import User
from accounts.selectors import user_roles
from core.models import WORKER, Heartbeat, Notification

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str


def _failed(component: str, exc: Exception) -> Check:
    """The reason goes to the log; the public answer names only the kind of failure, since
    error text can carry internal host names and addresses."""
    logger.warning("health: %s check failed: %s", component, exc, exc_info=False)
    return Check(False, f"unreachable ({type(exc).__name__})")


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return Check(True, connection.vendor)
    except Exception as exc:  # any failure means "not fine"
        return _failed("database", exc)


def check_broker() -> Check:
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            transport=getattr(settings, "CELERY_BROKER_TRANSPORT", None),
            transport_options=getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
            connect_timeout=2,
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            return Check(True, conn.transport.driver_type)
    except Exception as exc:
        return _failed("broker", exc)


def check_worker(now: datetime.datetime | None = None) -> tuple[Check, datetime.datetime | None]:
    now = now or timezone.now()
    try:
        beat_at = Heartbeat.objects.filter(name=WORKER).values_list("beat_at", flat=True).first()
    except Exception as exc:
        return _failed("worker heartbeat", exc), None
    if beat_at is None:
        return Check(False, "no heartbeat yet"), None
    age = (now - beat_at).total_seconds()
    if age > settings.WORKER_HEARTBEAT_STALE_SECONDS:
        return Check(False, f"last heartbeat {age:.0f}s ago"), beat_at
    return Check(True, f"last heartbeat {age:.0f}s ago"), beat_at


def health() -> tuple[bool, dict[str, object]]:
    """The state of everything Tandem needs, as plain data for ``/healthz`` (which shows all
    of it only to staff and to a probe on the same machine)."""
    database = check_database()
    broker = check_broker()
    worker, beat_at = check_worker()
    ok = database.ok and broker.ok and worker.ok
    return ok, {
        "status": "ok" if ok else "unavailable",
        "database": asdict(database),
        "broker": asdict(broker),
        "worker": {**asdict(worker), "last_heartbeat": beat_at.isoformat() if beat_at else None},
    }


def notifications_for(user: User) -> QuerySet[Notification]:
    """A person's own notifications, newest first. Nobody reads anyone else's.

    A notification about a scheme's case shows only while its reader still holds, in that
    scheme, the role it was sent to them in, read from their memberships now (not when it was
    sent): one for staff while they coordinate the scheme (managers: every scheme), one for a
    mentor while they mentor there (as ``relationship_visible_to`` scopes a mentor). So a
    coordinator who steps down to mentor in the same scheme loses its concern notices at
    once, and keeps the offers made to them as a mentor. Taking a role away hides the old
    notifications from the list, the badge and marking read alike. A notification naming no
    audience (sent before audiences were recorded) shows to anyone working in its scheme.
    """
    mine = Notification.objects.filter(recipient=user)
    roles = user_roles(user)
    audience = Notification.Audience
    as_mentor = Q(audience=audience.MENTOR, scheme_id__in=roles.mentor_scheme_ids)
    if roles.is_manager:
        as_staff = Q(audience=audience.STAFF)
        as_anyone = Q(audience=audience.ANYONE)
    else:
        as_staff = Q(audience=audience.STAFF, scheme_id__in=roles.coordinator_scheme_ids)
        as_anyone = Q(
            audience=audience.ANYONE,
            scheme_id__in=roles.coordinator_scheme_ids | roles.mentor_scheme_ids,
        )
    return mine.filter(Q(scheme__isnull=True) | as_staff | as_mentor | as_anyone)


def unread_notification_counts(user: User) -> dict[str, int]:
    """Unread notifications and how many of them are urgent, in one query: for the badge
    on every page."""
    return (
        notifications_for(user)
        .filter(read_at__isnull=True)
        .aggregate(unread=Count("pk"), urgent=Count("pk", filter=Q(is_urgent=True)))
    )
