"""The one place authentication events are heard: Django's login, logout and failure signals
and django-axes' lockout signal, each handed to its service in ``accounts.auth_services``.
Connected in ``AccountsConfig.ready``, after django-axes' own receivers, so a failure has been
counted (and the lockout decided) before it is audited."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from accounts import auth_services
from accounts.models import User


def on_logged_in(*, request: HttpRequest, user: User, **kwargs: Any) -> None:
    if request is not None:
        auth_services.login_succeeded(request=request, user=user)


def on_login_failed(
    *, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django has already replaced the password in ``credentials`` with stars; only the email
    # is read, to find the account.
    auth_services.login_failed(request=request, email=credentials.get("username"))


def on_locked_out(
    *, request: HttpRequest | None = None, username: str | None = None, **kwargs: Any
) -> None:
    auth_services.login_locked_out(
        request=request, email=username, address=kwargs.get("ip_address")
    )


def on_logged_out(*, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if request is not None:
        auth_services.logged_out(request=request, user=user)


def connect() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid="tandem-logged-in")
    user_login_failed.connect(on_login_failed, dispatch_uid="tandem-login-failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="tandem-locked-out")
    user_logged_out.connect(on_logged_out, dispatch_uid="tandem-logged-out")
