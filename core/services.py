import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import User
from core.mail import email_later
from core.models import WORKER, Heartbeat, Notification
from core.selectors import notifications_for


def heartbeat_record(*, name: str = WORKER) -> Heartbeat:
    beat, _ = Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})
    return beat


def notify(
    *,
    recipients: Iterable[User],
    audience: Notification.Audience,
    subject: str,
    body: str = "",
    url: str = "",
    urgent: bool = False,
    scheme_id: int | None = None,
    mentee_id: int | None = None,
) -> list[Notification]:
    """Tell people something in the app and by email.

    The in-app notification is written in the caller's transaction, so it exists exactly
    when the thing it reports does. Email goes after commit; if the mail server is down the
    notification is still there and the failure is logged, never lost silently.
    ``url`` is a path; the email carries it in full, on ``SITE_DOMAIN``. ``scheme_id`` names
    the scheme whose case it is about, and ``audience`` the role the recipients are told in
    (``STAFF``: as its coordinators or managers; ``MENTOR``: as a mentor there). The
    notification shows only while its recipient still holds that role in that scheme, so
    ``audience`` has no default: every caller says whom it writes to. A case notification
    for ``ANYONE`` would follow no role, so it is refused. ``mentee_id`` names the person a
    notification is about (every notice that names someone passes it), so erasure and subject
    access find it whatever page it links to.
    """
    if scheme_id is not None and audience == Notification.Audience.ANYONE:
        raise ValueError("A notification about a scheme's case must name its audience")
    people = [user for user in {u.pk: u for u in recipients}.values() if user.is_active]
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            subject=subject,
            body=body,
            url=url,
            is_urgent=urgent,
            scheme_id=scheme_id,
            audience=audience,
            mentee_id=mentee_id,
        )
        for user in people
    )
    addresses = [user.email for user in people if user.email]
    scheme = "https" if settings.SITE_HTTPS else "http"
    link = f"\n\nOpen Tandem: {scheme}://{settings.SITE_DOMAIN}{url}" if url else ""
    email_later(to=addresses, subject=subject, body=f"{body}{link}\n")
    return notifications


def notifications_settle(*, url: str, at: datetime.datetime) -> int:
    """Mark read, for everyone, the unread notifications that point at ``url``: the thing
    they asked someone to do has been done (a concern acknowledged by a colleague)."""
    return Notification.objects.filter(url=url, read_at__isnull=True).update(read_at=at)


def notification_mark_read(*, user: User, notification_ids: Iterable[int]) -> int:
    """Mark read those of ``notification_ids`` that ``user`` may still see: a notification
    hidden by a role change is neither shown nor touched."""
    return (
        notifications_for(user)
        .filter(pk__in=list(notification_ids), read_at__isnull=True)
        .update(read_at=timezone.now())
    )


def apply_changes(instance: models.Model, values: Mapping[str, Any]) -> list[str]:
    """Set ``values`` on ``instance`` and return the names of the fields whose value changed,
    in the order given: what every ``*_update`` service saves (``update_fields``) and what its
    audit event names. The audit names the changed fields, never their values."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name, value in values.items():
        setattr(instance, name, value)
    return changed
