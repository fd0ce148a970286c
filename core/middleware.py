from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


def no_store_when_logged_in(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """A page answered to someone logged in may show a case (a mentee's name, a meeting's
    notes), so no browser cache or proxy keeps a copy: the phone keeps only what the service
    worker caches (core/sw.js: the app's own files and a page with no case data) and the
    meeting forms waiting to be sent. A view that says how it may be cached is left alone."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if request.user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware
