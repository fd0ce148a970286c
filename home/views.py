"""The coordinator's dashboard and the spreadsheet imports: pages that read or write across
every app, so they live above them all."""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from accounts.permissions import role_required
from core.forms import submit
from flags.selectors import Health
from home.dashboard import dashboard_for
from home.first_look import flags_in_words
from home.forms import ImportForm
from home.import_jobs import (
    import_job_confirm,
    import_job_upload,
    import_job_visible_to,
    import_schemes_for,
)
from home.models import ImportJob
from schemes.selectors import scheme_visible_to


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


# --- Imports: upload, check in the worker, go-ahead, import in the worker -------------------

importer_required = role_required(lambda r: r.is_coordinator or r.is_manager)
#: Problems listed on one page of a check.
PROBLEMS_PER_PAGE = 100


@importer_required
def records_import(request: AuthedRequest) -> HttpResponse:
    """Upload a spreadsheet: the worker checks it, then the person reads the check."""
    form = ImportForm(
        request.POST or None, request.FILES or None, schemes=import_schemes_for(request.user)
    )
    job = submit(
        request,
        form,
        lambda: import_job_upload(
            by=request.user,
            scheme=form.cleaned_data["scheme"],
            kind=form.cleaned_data["kind"],
            filename=form.cleaned_data["file"].name,
            data=form.cleaned_data["file"].read(),
            go_live=form.cleaned_data["go_live"],
        ),
        "",
    )
    if job:
        return redirect("home:import_job", pk=job.pk)
    recent = import_job_visible_to(request.user).defer("content", "problems")[:5]
    return render(request, "home/import.html", {"form": form, "recent": recent})


@importer_required
def import_job_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The job: its progress, then what the check found (a page of problems at a time), then
    what was imported."""
    job = get_object_or_404(import_job_visible_to(request.user).defer("content"), pk=pk)
    problems = Paginator(job.problems, PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "home/import_job.html",
        {"job": job, "problems": problems, "links": _links(job), "look": _look(job)},
    )


def _look(job: ImportJob) -> dict[str, Any] | None:
    """The check's look ahead (``home.first_look``), for the page: rows as history or live,
    and the first sweep's flags by kind in words."""
    found = job.first_look
    if not found or job.status not in (ImportJob.Status.READY, ImportJob.Status.DONE):
        return None
    flags = flags_in_words(found.get("flags", {}))
    return {
        **found,
        "go_live": datetime.date.fromisoformat(found["go_live"]),
        "flags": flags,
        "flag_total": sum(n for _, n in flags),
    }


def _links(job: ImportJob) -> list[tuple[str, str]]:
    kinds = {part["kind"] for part in job.parts}
    links = []
    if kinds & {"mentees", "relationships", "meetings"}:
        links.append(("Mentees", reverse("mentees:list")))
    if "mentors" in kinds:
        links.append(("Mentors", reverse("mentors:list")))
    return links


@never_cache
@importer_required
def import_job_progress(request: AuthedRequest, pk: int) -> JsonResponse:
    job = get_object_or_404(
        import_job_visible_to(request.user).only("status", "progress", "message"), pk=pk
    )
    return JsonResponse(
        {
            "status": job.status,
            "progress": job.progress,
            "message": job.message,
            "finished": not job.is_working,
        }
    )


@importer_required
@require_POST
def import_job_go(request: AuthedRequest, pk: int) -> HttpResponse:
    """The go-ahead after reading the check: the worker imports the same file."""
    job = get_object_or_404(import_job_visible_to(request.user).defer("content"), pk=pk)
    try:
        import_job_confirm(by=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("home:import_job", pk=job.pk)
