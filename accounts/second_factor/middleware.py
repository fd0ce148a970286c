"""Nobody past the password alone: after ``django_otp.middleware.OTPMiddleware`` (which says
whether this session gave a code), someone logged in but not verified is sent to give a code
if they have a device, or to set one up if they must have one. Every page is covered, the
admin too; only the second step's own pages, logging out and the app's shell files are
not."""

from collections.abc import Callable
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from accounts.second_factor.policy import second_factor_required

#: Pages someone who has typed only their password may open.
EXEMPT = (
    "second_factor:enrol",
    "second_factor:verify",
    "logout",
    # The installable app's shell: no case data, fetched by the browser on its own.
    "core:favicon",
    "core:manifest",
    "core:service_worker",
    "core:offline",
)


@cache
def _exempt_paths() -> frozenset[str]:
    return frozenset(reverse(name) for name in EXEMPT)


def second_factor_step(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            not user.is_authenticated
            or user.is_verified()  # type: ignore[attr-defined]  # set by OTPMiddleware
            or request.path in _exempt_paths()
            or request.path.startswith(settings.STATIC_URL or "/static/")
        ):
            return get_response(request)
        if user_has_device(user, confirmed=True):
            step = "second_factor:verify"
        elif second_factor_required(user):
            step = "second_factor:enrol"
        else:
            return get_response(request)  # a mentor who has chosen not to have one
        target = reverse(step)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)

    return middleware
