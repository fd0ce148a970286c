"""Signed-in sessions: their limits, the rows behind "Your sessions", ending them.

A session carries two timestamps of its own (when it started and when it was last used), read
from the session the request has loaded anyway, so checking the limits costs no query. The last
use is written at most once a minute (``TOUCH_SECONDS``), and only then is the session saved and
its ``SignedInSession`` row touched."""

import datetime
from importlib import import_module

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.devices import device_description
from accounts.lockout import client_address
from accounts.models import SignedInSession, User
from accounts.selectors import session_limits_for
from audit.services import audit_record

STARTED = "tandem_started"
SEEN = "tandem_seen"
TOUCH_SECONDS = 60
#: Set on the request when Tandem, not the person, ends a session ("idle", "absolute").
LOGOUT_REASON = "tandem_logout_reason"


def _session_key(request: HttpRequest) -> str:
    if request.session.session_key is None:
        request.session.save()
    return str(request.session.session_key)


def session_started(*, request: HttpRequest, user: User) -> None:
    """At login (the session key has just been cycled): stamp the session and list it."""
    now = timezone.now()
    request.session[STARTED] = request.session[SEEN] = int(now.timestamp())
    SignedInSession.objects.update_or_create(
        session_key=_session_key(request),
        defaults={
            "user": user,
            "started_at": now,
            "last_seen_at": now,
            "device": device_description(request.META.get("HTTP_USER_AGENT", "")),
            "address": client_address(request),
        },
    )
    # Sessions that ended without a logout (a closed browser, a limit) leave their row behind.
    longest = max(
        datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES_STAFF),
        datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES_MENTOR),
    )
    SignedInSession.objects.filter(user=user, last_seen_at__lt=now - longest).delete()


def session_over_limit(*, request: HttpRequest, user: User) -> str | None:
    """Why this session must end now ("idle" or "absolute"), or None, touching its last use
    at most once a minute. A session from before the limits shipped starts counting now."""
    session = request.session
    now = timezone.now()
    started, seen = session.get(STARTED), session.get(SEEN)
    if started is None or seen is None:
        session_started(request=request, user=user)
        return None
    limits = session_limits_for(user)
    if now.timestamp() - seen > limits.idle.total_seconds():
        return "idle"
    if now.timestamp() - started > limits.absolute.total_seconds():
        return "absolute"
    if now.timestamp() - seen >= TOUCH_SECONDS:
        session[SEEN] = int(now.timestamp())
        touched = SignedInSession.objects.filter(session_key=_session_key(request)).update(
            last_seen_at=now
        )
        if not touched:
            session_started(request=request, user=user)
            session[STARTED] = started
    return None


def session_end(*, request: HttpRequest, reason: str) -> None:
    """Log the person out because a limit was reached; the logout is audited with the reason."""
    setattr(request, LOGOUT_REASON, reason)
    logout(request)


def session_forget(*, session: SessionBase) -> None:
    """A logout: the session's row goes with it."""
    if session.session_key:
        SignedInSession.objects.filter(session_key=session.session_key).delete()


def _end_sessions(rows: "list[SignedInSession]") -> int:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for row in rows:
        store(session_key=row.session_key).delete()
    SignedInSession.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


def _others(*, user: User, keep: str | None) -> "list[SignedInSession]":
    return list(SignedInSession.objects.filter(user=user).exclude(session_key=keep or ""))


@transaction.atomic
def sessions_end_others(*, request: HttpRequest, user: User) -> int:
    """ "Sign out everywhere else": every other session of ``user`` ends at once (its stored
    session is deleted, so its next request is anonymous). Returns how many ended."""
    ended = _end_sessions(_others(user=user, keep=request.session.session_key))
    audit_record(
        actor=user,
        action="user.sessions_ended",
        target=user,
        detail={"sessions": ended, "address": client_address(request)},
    )
    return ended


def sessions_end_all_but(*, user: User, keep: str | None) -> int:
    """After a password change or reset: every session but ``keep`` ends (Django would refuse
    them at their next request anyway; this also takes them off "Your sessions")."""
    return _end_sessions(_others(user=user, keep=keep))


def session_rekeyed(*, old_key: str | None, new_key: str | None) -> None:
    """Django gives the session a new key when the password changes; its row follows."""
    if old_key and new_key and old_key != new_key:
        SignedInSession.objects.filter(session_key=old_key).update(session_key=new_key)


def session_cycled(*, request: HttpRequest) -> None:
    """After the second step: a new session key, so a key seen while only the password had been
    typed (fixed by someone else, or read over a shoulder) is not the key of the full login.
    The session's data and its row on "Your sessions" carry over to the new key."""
    old_key = request.session.session_key
    request.session.cycle_key()
    session_rekeyed(old_key=old_key, new_key=request.session.session_key)
