"""The coordinator's dashboard and the spreadsheet imports: pages that read or write across
every app, so they live above them all."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.http import AuthedRequest
from accounts.permissions import role_required
from flags.selectors import Health
from home.dashboard import dashboard_for
from home.forms import ImportForm
from home.importers import run_import
from schemes.selectors import scheme_visible_to, schemes_coordinated_by


@role_required(lambda r: r.is_coordinator or r.is_manager)
def dashboard(request: AuthedRequest) -> HttpResponse:
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
        "home/dashboard.html",
        {
            "board": board,
            "schemes": schemes,
            "scheme_q": f"&scheme={scheme.pk}" if scheme else "",
            "coordinated": board.can_act_on,
            "health_labels": Health.choices,
            "concerns_now": timezone.now(),
        },
    )


AFTER_IMPORT = {
    "mentees": "mentees:list",
    "mentors": "mentors:list",
    "relationships": "mentees:list",
    "meetings": "mentees:list",
}


@role_required(lambda r: r.is_coordinator)
def records_import(request: AuthedRequest) -> HttpResponse:
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
    return render(request, "home/import.html", {"form": form, "report": report})
