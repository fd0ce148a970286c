import datetime
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accounts.http import AuthedRequest
from accounts.permissions import staff_required
from accounts.selectors import user_roles
from core.forms import submit
from reports import services
from reports.charts import with_charts
from reports.forms import ReportForm
from reports.models import ReportExport
from reports.selectors import funders_visible_to, report_export_visible_to
from reports.wording import counted_to_note, headline, report_subject
from schemes.selectors import scheme_visible_to

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
    "json": "application/json",
}


@staff_required
def report_new(request: AuthedRequest) -> HttpResponse:
    """Pick a period and schemes (or a funder) and a format; the worker builds it."""
    is_manager = user_roles(request.user).is_manager
    form = ReportForm(
        request.POST or None,
        initial=_asked_again(request),
        schemes=scheme_visible_to(request.user).order_by("name"),
        funders=funders_visible_to(request.user),
        managers_only=is_manager,
    )
    export = submit(
        request,
        form,
        lambda: services.report_export_request(
            by=request.user,
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
            scheme_ids=[s.pk for s in form.cleaned_data["schemes"]],
            funder=form.cleaned_data["funder"],
            format=form.cleaned_data["format"],
            kind=form.cleaned_data.get("kind") or ReportExport.Kind.FUNDER,
        ),
        "Report requested. It is being built now.",
    )
    if export:
        return redirect("reports:detail", pk=export.pk)
    recent = report_export_visible_to(request.user).defer("content", "summary")[:10]
    return render(request, "reports/report_new.html", {"form": form, "recent": recent})


def _asked_again(request: AuthedRequest) -> dict[str, Any]:
    """The form's first values from the link "Build this report again" (``again_query``):
    only prefilled, never trusted, as the POST is checked as any other."""
    fields = ("date_from", "date_to", "funder", "format", "kind")
    initial: dict[str, Any] = {f: request.GET[f] for f in fields if request.GET.get(f)}
    if request.GET.getlist("schemes"):
        initial["schemes"] = request.GET.getlist("schemes")
    return initial


def again_query(export: ReportExport) -> str:
    """The query string that opens the report form filled in as ``export`` was asked for."""
    return urlencode(
        {
            "date_from": export.date_from.isoformat(),
            "date_to": export.date_to.isoformat(),
            "schemes": [] if export.funder else export.scheme_ids,
            "funder": export.funder,
            "format": export.format,
            "kind": export.kind,
        },
        doseq=True,
    )


@staff_required
def report_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The report on screen once built, with its download; a progress bar until then."""
    export = get_object_or_404(report_export_visible_to(request.user).defer("content"), pk=pk)
    context: dict[str, Any] = {"export": export, "again_query": again_query(export)}
    if export.summary:
        services.report_export_viewed(by=request.user, export=export)
        sections = export.summary.get("sections", [])
        counted_to = export.summary.get("counted_to")
        context.update(
            sections=with_charts(sections),
            headline=headline(sections),
            subject=report_subject(export.funder, export.summary.get("schemes", [])),
            counted_note=counted_to_note(
                datetime.date.fromisoformat(counted_to) if counted_to else None, export.date_to
            ),
        )
    return render(request, "reports/report_detail.html", context)


@never_cache
@staff_required
def report_progress(request: AuthedRequest, pk: int) -> JsonResponse:
    export = get_object_or_404(
        report_export_visible_to(request.user).only("status", "progress", "message"), pk=pk
    )
    return JsonResponse(
        {
            "status": export.status,
            "progress": export.progress,
            "message": export.message,
            "finished": export.is_finished,
        }
    )


@staff_required
def report_download(request: AuthedRequest, pk: int) -> HttpResponse:
    """The file, once. Expired or unfinished: 404 with a page saying so."""
    export = get_object_or_404(report_export_visible_to(request.user), pk=pk)
    expired = export.expires_at is not None and export.expires_at <= timezone.now()
    if export.status != ReportExport.Status.DONE or export.content is None or expired:
        raise Http404("This report's file is not available: it expired or is not ready.")
    services.report_export_downloaded(by=request.user, export=export)
    extension = export.filename.rsplit(".", 1)[-1]
    response = HttpResponse(bytes(export.content), content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
