from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

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


def require_coordinator_of(user: object, scheme_id: int) -> None:
    """Case work (mentors, mentees, referrals) is written only by the scheme's coordinators.

    Managers read every scheme but do not change case records; anyone else who can see the
    record (it passed the entity's ``*_visible_to`` selector) gets 403 for a write.
    """
    if scheme_id not in user_roles(user).coordinator_scheme_ids:  # type: ignore[arg-type]
        raise PermissionDenied
