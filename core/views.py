from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from accounts.permissions import role_required
from accounts.selectors import user_roles
from core.dashboard import dashboard_for
from core.forms import ImportForm
from core.importers import run_import
from core.selectors import health, notifications_for
from core.services import notification_mark_read
from flags.selectors import Health
from schemes.selectors import scheme_visible_to, schemes_coordinated_by


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on its own page; someone with several roles lands on the widest."""
    return redirect(user_roles(request.user).home_url_name)


@role_required(lambda r: r.is_coordinator or r.is_manager)
def dashboard(request: HttpRequest) -> HttpResponse:
    """At a glance: relationships by health, the flag queue, who is waiting, reviews due,
    mentors needing attention. For one scheme (``?scheme=``) or all the user's schemes."""
    schemes = scheme_visible_to(request.user).order_by("name")
    scheme = None
    if chosen := request.GET.get("scheme"):
        if not chosen.isdigit():
            raise Http404("No such scheme.")
        scheme = get_object_or_404(schemes, pk=chosen)
    board = dashboard_for(request.user, scheme=scheme)
    return render(
        request,
        "core/dashboard.html",
        {
            "board": board,
            "schemes": schemes,
            "scheme_q": f"&scheme={scheme.pk}" if scheme else "",
            "coordinated": board.can_act_on,
            "health_labels": Health.choices,
        },
    )


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


AFTER_IMPORT = {
    "mentees": "mentees:list",
    "mentors": "mentors:list",
    "relationships": "mentees:list",
    "meetings": "mentees:list",
}


@role_required(lambda r: r.is_coordinator)
def records_import(request: HttpRequest) -> HttpResponse:
    """Bring a scheme's past records in from a spreadsheet: check first, then all or nothing."""
    form = ImportForm(
        request.POST or None, request.FILES or None, schemes=schemes_coordinated_by(request.user)
    )
    report = None
    if request.method == "POST" and form.is_valid():
        report = run_import(
            kind=form.cleaned_data["kind"],
            by=request.user,
            scheme=form.cleaned_data["scheme"],
            data=form.cleaned_data["file"].read(),
            dry_run=form.cleaned_data["dry_run"],
        )
        if report.ok and not report.dry_run:
            messages.success(
                request,
                f"Imported {report.created} {form.cleaned_data['kind']} into "
                f"{form.cleaned_data['scheme']}; {report.already_present} were already in Tandem.",
            )
            return redirect(AFTER_IMPORT[form.cleaned_data["kind"]])
    return render(request, "core/import.html", {"form": form, "report": report})


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """What the app has told this person: concerns from mentors, new matches. Urgent first
    among the unread, then newest first."""
    items = notifications_for(request.user).order_by(
        F("read_at").asc(nulls_first=True), "-is_urgent", "-created_at"
    )
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification read (``notification``) or all of them (``all``)."""
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
