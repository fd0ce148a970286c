import hashlib
import ipaddress
import json
import re
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.paginator import Paginator
from django.db import DatabaseError, transaction
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from accounts.http import AuthedRequest
from accounts.selectors import user_roles
from core.selectors import health, notifications_for
from core.services import notification_mark_read


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on its own page; someone with several roles lands on the widest."""
    return redirect(user_roles(request.user).home_url_name)


@login_required
def no_role(request: HttpRequest) -> HttpResponse:
    if user_roles(request.user).home_url_name != "core:no_role":
        return redirect("home")
    return render(request, "core/no_role.html")


@never_cache
@require_safe
@transaction.non_atomic_requests
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitors: 200 ``{"status": "ok"}`` when all is fine, 503
    ``{"status": "unavailable"}`` when not. Which part failed (database, broker, worker) and
    the worker's last heartbeat are shown only to staff and to a probe on this machine.

    Not wrapped in the request transaction, which would need the database before the view
    could report that the database is down."""
    ok, details = health()
    status = 200 if ok else 503
    if _may_see_health_details(request):
        return JsonResponse(details, status=status)
    return JsonResponse({"status": details["status"]}, status=status)


#: Headers a reverse proxy adds (as ``request.META`` names them). A loopback request carrying
#: any of them came through a proxy on this machine from somewhere else, so it is not local.
PROXY_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_FORWARDED",
    "HTTP_X_REAL_IP",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_CLIENT_IP",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_TRUE_CLIENT_IP",
)


def _may_see_health_details(request: HttpRequest) -> bool:
    """A probe from this machine (the connection's own address is a loopback one and no proxy
    forwarded it: a reverse proxy on the same host connects from loopback too, but says whom
    for, in one header or another), or someone logged in who runs schemes or the site. Any
    proxy header at all means "not local", whatever it says; with the database down, nobody's
    login can be read, so only the local probe sees why."""
    forwarded = any(header in request.META for header in PROXY_HEADERS)
    try:
        local = ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        local = False
    if local and not forwarded:
        return True
    try:
        user = request.user
        return user.is_authenticated and (user.is_staff or user_roles(user).is_staff_role)
    except DatabaseError:
        return False


@login_required
def notifications(request: AuthedRequest) -> HttpResponse:
    """What the app has told this person: concerns from mentors, new matches. Urgent first
    among the unread, then newest first."""
    items = notifications_for(request.user).order_by(
        F("read_at").asc(nulls_first=True), "-is_urgent", "-created_at"
    )
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_read(request: AuthedRequest) -> HttpResponse:
    """Mark one notification read (``notification``) or all of them (``all``)."""
    ids: Iterable[int]
    if "all" in request.POST:
        ids = (
            notifications_for(request.user)
            .filter(read_at__isnull=True)
            .values_list("pk", flat=True)
        )
    else:
        try:
            ids = [int(request.POST.get("notification", ""))]
        except ValueError:
            ids = []
    count = notification_mark_read(user=request.user, notification_ids=ids)
    if count:
        messages.success(request, "Marked as read." if count == 1 else f"Marked {count} as read.")
    return redirect("core:notifications")


# --- The installable app: icons, manifest, service worker, the page for no signal ------------
THEME_COLOUR = "#0d476e"
SHELL_ICONS = ["icons/favicon.svg", "icons/icon-192.png", "icons/icon-512.png"]
#: A page that has not come after this long shows the page for no signal (a connection that
#: is up but carries nothing, as at a prison gate). A form sent meanwhile is kept on the phone.
NAVIGATION_TIMEOUT_SECONDS = 20


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, where browsers look for it whatever the page says."""
    path = finders.find("icons/favicon.ico")
    if not isinstance(path, str):
        raise Http404("static/icons/favicon.ico is missing")
    response = HttpResponse(Path(path).read_bytes(), content_type="image/x-icon")
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    return response


@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest, so a mentor can add Tandem to their phone's home screen."""
    icon = {"type": "image/png", "purpose": "any"}
    body = {
        "id": "/",
        "name": "Tandem",
        "short_name": "Tandem",
        "description": "Mentoring records: log a meeting in a few taps, even without signal.",
        "lang": "en-GB",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": [
            {**icon, "src": static("icons/icon-192.png"), "sizes": "192x192"},
            {**icon, "src": static("icons/icon-512.png"), "sizes": "512x512"},
            {
                **icon,
                "src": static("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(body, content_type="application/manifest+json")
    patch_cache_control(response, no_cache=True)
    return response


@never_cache
@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """Meetings saved on this phone and not yet sent, listed by ``outbox.js`` from the phone's
    own storage. The service worker keeps the copy a logged-out visitor gets (no names, no
    case data) and shows it for any page opened without signal."""
    return render(request, "core/offline.html")


def _shell() -> tuple[list[str], str]:
    """What the service worker keeps: the static files the offline page loads (those of
    base.html, so of every page, the meeting form's among them), the icons and the
    manifest. The version changes with any of them, so a deploy replaces the cache."""
    page = render_to_string("core/offline.html")
    prefix = re.escape(settings.STATIC_URL)  # with the script prefix, as static() gives
    in_page = re.findall(rf'(?:href|src)="({prefix}[^"]+)"', page)
    urls = sorted({*in_page, *(static(name) for name in SHELL_ICONS), reverse("core:manifest")})
    version = hashlib.sha256("\n".join([page, *urls, *_contents(urls)]).encode()).hexdigest()[:16]
    return urls, version


def _contents(urls: list[str]) -> list[str]:
    """A digest of each static file, where its address does not already change with it (the
    plain storage of a DEBUG run): an edited script then gives the cache a new name too."""
    if isinstance(staticfiles_storage, ManifestFilesMixin):
        return []  # the addresses carry a hash of each file
    prefix = static("")
    digests = []
    for url in urls:
        path = finders.find(url.removeprefix(prefix)) if url.startswith(prefix) else None
        if isinstance(path, str):
            digests.append(hashlib.sha256(Path(path).read_bytes()).hexdigest())
    return digests


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """``/sw.js``: served from the root so that it may look after every page. It caches the
    app's own files and the offline page, never a page about a case (core/sw.js)."""
    urls, version = _shell()
    response = render(
        request,
        "core/sw.js",
        {
            "version": version,
            "shell": json.dumps(urls),
            "offline_url": json.dumps(reverse("core:offline")),
            "navigation_timeout_ms": NAVIGATION_TIMEOUT_SECONDS * 1000,
        },
        content_type="text/javascript; charset=utf-8",
    )
    patch_cache_control(response, no_cache=True)
    return response
