from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from core.outbox import outbox_logged_told
from core.selectors import unread_notification_counts


def notifications(request: HttpRequest) -> dict[str, object]:
    """The navbar's unread badge: one query, and only on pages that draw the navbar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_counts": SimpleLazyObject(lambda: unread_notification_counts(user))}


def outbox(request: HttpRequest) -> dict[str, object]:
    """The meeting forms logged since the last page (core.outbox), for base.html to hand to
    outbox.js. Read lazily: only a page that draws it uses up the session's note."""
    return {"outbox_logged": lambda: outbox_logged_told(request)}
