from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.models import User
from accounts.selectors import Roles, user_roles

View = Callable[..., HttpResponse]


def role_required(check: Callable[[Roles], bool]) -> Callable[[View], View]:
    """Log in first, then 403 unless the user's roles pass ``check``.

    This only gates the kind of page. Whether a particular record is in the user's scope is
    the job of the entity's ``*_visible_to`` selector, which answers 404.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(user_roles(request.user)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


manager_required = role_required(lambda r: r.is_manager)
staff_required = role_required(lambda r: r.is_staff_role)
any_role_required = role_required(lambda r: r.is_staff_role or r.is_mentor)


def case_scheme_ids(user: User | AnonymousUser) -> frozenset[int]:
    """The schemes whose case records ``user`` writes: the ones they coordinate."""
    return user_roles(user).coordinator_scheme_ids


def can_write_case(user: User | AnonymousUser, scheme_id: int) -> bool:
    """The one rule for writing a scheme's case records (mentees, referrals, mentor files,
    relationships and their reviews): only the scheme's coordinators write them.

    Managers read every scheme but change no case record. A mentor writes only the meetings
    and plan of their own relationship, which ``relationship_for_write`` allows on top of
    this rule. Each entity's ``<entity>_for_write`` applies it after the entity's
    ``*_visible_to`` selector (404 outside scope, 403 here); pages use it for their
    ``can_write`` flags, so what a page offers and what it accepts cannot drift apart.
    """
    return scheme_id in case_scheme_ids(user)


def require_coordinator_of(user: User | AnonymousUser, scheme_id: int) -> None:
    """403 unless ``user`` may write the case records of ``scheme_id`` (``can_write_case``).

    For callers that already hold a record which passed its ``*_visible_to`` selector.
    """
    if not can_write_case(user, scheme_id):
        raise PermissionDenied
