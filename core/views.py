from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
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
    """For load balancers and monitors: 200 when all is fine, 503 naming what is not.

    Not wrapped in the request transaction, which would need the database before the view
    could report that the database is down."""
    ok, body = health()
    return JsonResponse(body, status=200 if ok else 503)


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
