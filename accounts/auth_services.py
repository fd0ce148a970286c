"""Authentication events: each one audited, and the person told by email when their password
changes. The signal receivers in ``accounts.auth_events`` and the password views call these.

The audit holds the account (when the email typed belongs to one) and the client's address,
never a password, and never the text typed for an account that does not exist: it says only
that such a failure happened."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.lockout import account_failures_forgiven, client_address, failures_forgiven
from accounts.models import User, normalise_email
from accounts.session_services import (
    LOGOUT_REASON,
    session_forget,
    session_rekeyed,
    session_started,
    sessions_end_all_but,
)
from audit.services import audit_record
from core.mail import email_later

#: The target of an event about an email that matches no account: the audit names the kind of
#: target (an account) with no id, and keeps nothing of what was typed.
NO_ACCOUNT = User()


def account_for(email: str | None) -> User | None:
    if not email:
        return None
    return User.objects.filter(email__iexact=normalise_email(email)).first()


def login_succeeded(*, request: HttpRequest, user: User) -> None:
    failures_forgiven(request=request, email=user.email)
    session_started(request=request, user=user)
    audit_record(
        actor=user,
        action="user.logged_in",
        target=user,
        detail={"address": client_address(request)},
    )


def login_failed(*, request: HttpRequest | None, email: str | None) -> None:
    account = account_for(email)
    audit_record(
        actor=None,
        action="user.login_failed",
        target=account or NO_ACCOUNT,
        detail={
            "account": "known" if account else "unknown",
            "address": client_address(request) if request is not None else None,
        },
    )


def login_locked_out(
    *, request: HttpRequest | None, email: str | None, address: str | None
) -> None:
    account = account_for(email)
    audit_record(
        actor=None,
        action="user.locked_out",
        target=account or NO_ACCOUNT,
        detail={"account": "known" if account else "unknown", "address": address},
    )


def logged_out(*, request: HttpRequest, user: User | None) -> None:
    """Asked for, or because a session limit was reached (``reason``)."""
    session_forget(session=request.session)
    if user is None or not user.is_authenticated:
        return
    audit_record(
        actor=user,
        action="user.logged_out",
        target=user,
        detail={
            "reason": getattr(request, LOGOUT_REASON, "asked"),
            "address": client_address(request),
        },
    )


def _tell_password_changed(*, request: HttpRequest, user: User, how: str) -> None:
    when = timezone.localtime()
    reset_link = request.build_absolute_uri(reverse("password_reset"))
    email_later(
        to=[user.email],
        subject="Your Tandem password has been changed",
        body=(
            f"Hello {user.get_short_name()},\n\n"
            f"The password for your Tandem account ({user.email}) was {how} on "
            f"{date_format(when, 'j F Y')} at {date_format(when, 'H:i')}.\n\n"
            "If this was you, you do not need to do anything.\n\n"
            "If it was not you, someone else may know your password. Set a new one now at\n"
            f"{reset_link}\n"
            "and tell your manager.\n"
        ),
    )


def password_changed(*, request: HttpRequest, user: User, old_session_key: str | None) -> None:
    """Changed while signed in: this session carries on, every other one ends."""
    new_key = request.session.session_key
    session_rekeyed(old_key=old_session_key, new_key=new_key)
    ended = sessions_end_all_but(user=user, keep=new_key)
    audit_record(
        actor=user,
        action="user.password_changed",
        target=user,
        detail={"sessions_ended": ended, "address": client_address(request)},
    )
    _tell_password_changed(request=request, user=user, how="changed")


def password_reset_requested(*, request: HttpRequest, email: str) -> None:
    account = account_for(email)
    audit_record(
        actor=None,
        action="user.password_reset_requested",
        target=account or NO_ACCOUNT,
        detail={
            "account": "known" if account else "unknown",
            "address": client_address(request),
        },
    )


def password_reset_completed(*, request: HttpRequest, user: User) -> None:
    """Set from an emailed link: every session ends (someone else may have been signed in),
    and a lockout of the account, perhaps tripped to keep its owner out, is lifted."""
    ended = sessions_end_all_but(user=user, keep=None)
    account_failures_forgiven(email=user.email)
    audit_record(
        actor=user,
        action="user.password_reset",
        target=user,
        detail={"sessions_ended": ended, "address": client_address(request)},
    )
    _tell_password_changed(request=request, user=user, how="reset from an emailed link")
