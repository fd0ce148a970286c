from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def no_store_when_logged_in(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """A page answered to someone logged in may show a case (a mentee's name, a meeting's
    notes), so no browser cache or proxy keeps a copy: the phone keeps only what the service
    worker caches (core/sw.js: the app's own files and a page with no case data) and the
    meeting forms waiting to be sent.

    Every answer to a logged-in person is ``private, no-store``, whatever the view said about
    caching (a download, a JSON answer, an error page, the icon alike): a view cannot opt out,
    so a new view cannot slip through."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if request.user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
            if "Expires" in response:
                del response["Expires"]
        return response

    return middleware


def permissions_policy(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """The Permissions-Policy header from ``settings.PERMISSIONS_POLICY``: each feature with the
    origins allowed to use it (none: ``camera=()``)."""
    header = ", ".join(
        f"{feature}=({' '.join(origins)})"
        for feature, origins in settings.PERMISSIONS_POLICY.items()
    )

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.setdefault("Permissions-Policy", header)
        return response

    return middleware
