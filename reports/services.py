"""Writes for reports: ask for an export, run it (in the worker), hand it over, expire it.

Every request, download and case-level extract is audited: a funder report is aggregate and
pseudonymous, but who took which figures out of Tandem is still on the record.
"""

import datetime
import io
import json
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.selectors import user_roles
from audit.services import audit_record
from core.queue import enqueue
from mentees.models import Mentee
from reports.build import build_report, check_period_dates, check_period_years, schemes_for_funder
from reports.exports.common import neutralise_frame
from reports.models import ReportExport
from reports.quarters import counted_to
from reports.report import Progress, Report
from reports.rows import Rows, load_rows
from reports.selectors import report_export_visible_to
from reports.summary import summary
from schemes.models import Scheme
from schemes.selectors import scheme_visible_to

logger = logging.getLogger(__name__)

#: A job not picked up within this long (broker down when it was asked for) is run by the
#: scheduler's catch-up task.
WAITING_GRACE = datetime.timedelta(seconds=30)


def _schemes_for(
    *,
    by: User,
    scheme_ids: list[int],
    funder: str,
    date_from: datetime.date,
    date_to: datetime.date,
) -> list[Scheme]:
    visible = scheme_visible_to(by)
    if funder.strip():
        schemes = list(schemes_for_funder(funder, date_from, date_to).filter(pk__in=visible))
        if not schemes:
            raise ValidationError(
                {"funder": f"None of your schemes had funding from “{funder}” in that period"}
            )
        return schemes
    schemes = list(visible.filter(pk__in=scheme_ids).order_by("name"))
    if not scheme_ids:
        raise ValidationError({"schemes": "Choose at least one scheme, or a funder"})
    if len(schemes) != len(set(scheme_ids)):
        # A scheme the person may not report on: the same answer as one that does not exist.
        raise ValidationError({"schemes": "Choose only schemes you work with"})
    return schemes


@transaction.atomic
def report_export_request(
    *,
    by: User,
    date_from: datetime.date,
    date_to: datetime.date,
    format: str,
    scheme_ids: list[int] | None = None,
    funder: str = "",
    kind: str = ReportExport.Kind.FUNDER,
) -> ReportExport:
    """Ask for a report: checked against what ``by`` may see, then run by the worker."""
    roles = user_roles(by)
    if not roles.is_staff_role:
        raise PermissionDenied
    if kind == ReportExport.Kind.CASE_EXTRACT:
        if not roles.is_manager:
            raise PermissionDenied  # case-level rows are for managers only
        if format != ReportExport.Format.CSV:
            # Said, not silently switched: the file must be what the person chose.
            raise ValidationError({"format": ReportExport.EXTRACT_FORMAT_ERROR})
    if date_from > date_to:
        raise ValidationError({"date_to": "The period ends before it starts"})
    check_period_years(date_from, date_to)
    check_period_dates(date_from, date_to)
    if format not in ReportExport.Format.values:
        raise ValidationError({"format": "Choose a format"})
    schemes = _schemes_for(
        by=by, scheme_ids=scheme_ids or [], funder=funder, date_from=date_from, date_to=date_to
    )
    export = ReportExport.objects.create(
        requested_by=by,
        kind=kind,
        scheme_ids=[s.pk for s in schemes],
        funder=funder.strip(),
        date_from=date_from,
        date_to=date_to,
        format=format,
        message="Waiting for the worker",
    )
    audit_record(
        actor=by,
        action="report.requested"
        if kind == ReportExport.Kind.FUNDER
        else "report.extract_requested",
        target=export,
        scheme=schemes[0] if len(schemes) == 1 else None,
        detail={
            "schemes": export.scheme_ids,
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            "format": format,
        },
    )
    transaction.on_commit(lambda: _queue(export.pk))
    return export


#: The task that builds an export, named rather than imported: the task calls this module,
#: and a module that imported its own task back would make an import cycle.
RUN_EXPORT_TASK = "reports.tasks.run_report_export"


def _queue(export_id: int) -> None:
    enqueue(RUN_EXPORT_TASK, export_id=export_id)


def _claim(export_id: int) -> ReportExport | None:
    """Take a queued export for running; None if another worker has it or it is finished."""
    with transaction.atomic():
        export = (
            ReportExport.objects.select_for_update(skip_locked=True)
            .filter(pk=export_id, status=ReportExport.Status.QUEUED)
            .first()
        )
        if export is None:
            return None
        export.status = ReportExport.Status.RUNNING
        export.started_at = timezone.now()
        export.message = "Starting"
        export.save(update_fields=["status", "started_at", "message"])
        return export


def _progress(export_id: int) -> Progress:
    def tell(percent: int, message: str) -> None:
        # Outside any transaction: each step is seen by the page polling for it at once.
        ReportExport.objects.filter(pk=export_id).update(
            progress=max(0, min(99, percent)), message=message[:200]
        )

    return tell


def report_export_run(*, export_id: int) -> ReportExport | None:
    """Build the report and its file. Called by the worker; safe to call twice."""
    export = _claim(export_id)
    if export is None:
        return None
    tell = _progress(export.pk)
    if not report_export_visible_to(export.requested_by).filter(pk=export.pk).exists():
        # The asker lost the role or a scheme between asking and the build: build nothing.
        export.status = ReportExport.Status.FAILED
        export.message = "Not built: you no longer work with every scheme it covers."
        export.finished_at = timezone.now()
        export.save(update_fields=["status", "message", "finished_at"])
        return export
    try:
        if export.kind == ReportExport.Kind.CASE_EXTRACT:
            tell(10, "Loading records")
            export.content = case_extract_csv(report_rows_for(export))
            export.filename = _name(export, "csv")
        else:
            report = build_report(
                scheme_ids=export.scheme_ids,
                date_from=export.date_from,
                date_to=export.date_to,
                funder=export.funder,
                progress=lambda p, m: tell(p * 7 // 10, m),  # building is 70% of the work
            )
            content, extension = render(
                report, export.format, lambda p, m: tell(70 + p * 3 // 10, m)
            )
            export.summary = summary(report)
            export.content = content
            export.filename = _name(export, extension)
        export.status = ReportExport.Status.DONE
        export.progress = 100
        export.message = "Ready"
    except Exception:
        logger.exception("Report export %s failed", export.pk)
        export.status = ReportExport.Status.FAILED
        # A fault in the code or the database, not in what was asked: a shorter period
        # would fail the same way, so the message does not suggest one.
        export.message = (
            "This report could not be built because of a fault in Tandem, not because of "
            "anything you chose. Build it again; if it fails again, tell your administrator."
        )
    export.finished_at = timezone.now()
    export.expires_at = export.finished_at + datetime.timedelta(hours=settings.REPORT_FILE_HOURS)
    export.save()
    return export


def render(report: Report, format: str, progress: Progress) -> tuple[bytes, str]:
    """The file for ``format`` and its extension."""
    if format == ReportExport.Format.JSON:
        return json.dumps(report.to_json(), indent=2, default=str).encode(), "json"
    from reports.exports.csv_zip import to_csv_zip
    from reports.exports.pdf import to_pdf  # WeasyPrint itself loads only when a PDF is drawn
    from reports.exports.xlsx import to_xlsx

    writers: dict[str, tuple[Callable[[Report, Progress | None], bytes], str]] = {
        ReportExport.Format.XLSX: (to_xlsx, "xlsx"),
        ReportExport.Format.CSV: (to_csv_zip, "zip"),
        ReportExport.Format.PDF: (to_pdf, "pdf"),
    }
    writer, extension = writers[format]
    return writer(report, progress), extension


def _name(export: ReportExport, extension: str) -> str:
    stem = (
        "tandem-case-extract" if export.kind == ReportExport.Kind.CASE_EXTRACT else "tandem-report"
    )
    return f"{stem}-{export.date_from:%Y%m%d}-{export.date_to:%Y%m%d}.{extension}"


def report_rows_for(export: ReportExport) -> Rows:
    """The extract's rows: like the report's, nothing after the day it is built is counted."""
    return load_rows(
        scheme_ids=export.scheme_ids,
        date_from=export.date_from,
        date_to=export.date_to,
        counted_to=counted_to(export.date_to),
    )


def case_extract_csv(rows: Rows) -> bytes:
    """One row per person referred in the period, by the scheme's pseudonymous reference:
    how far each got. No names, dates of birth or notes."""
    from reports.cohort import cohort

    people = cohort(rows).copy()
    references = dict(
        Mentee.objects.filter(pk__in=list(people.index)).values_list("pk", "reference")
    )
    people.insert(0, "reference", [references.get(pk, "") for pk in people.index])
    people.insert(1, "scheme", [rows.schemes.get(s, "") for s in people["scheme_id"]])
    columns = [
        "reference",
        "scheme",
        "source",
        "referred_on",
        "consented",
        "matched",
        "first_matched_on",
        "matched_in_custody",
        "any_contact",
        "face_to_face",
        "met_count",
        "face_to_face_count",
        "hours",
        "first_met_on",
        "ended_as_planned",
    ]
    buffer = io.StringIO()
    # CRLF ends a record (RFC 4180), so a carriage return inside a cell is quoted with it
    # rather than starting a new row.
    neutralise_frame(people[[c for c in columns if c in people.columns]]).to_csv(
        buffer, index=False, lineterminator="\r\n"
    )
    return ("\ufeff" + buffer.getvalue()).encode()


def report_export_viewed(*, by: User, export: ReportExport) -> None:
    """The report's figures read on screen are recorded as a download is."""
    audit_record(
        actor=by,
        action="report.viewed",
        target=export,
        detail={"kind": export.kind, "format": export.format, "schemes": export.scheme_ids},
    )


def report_export_downloaded(*, by: User, export: ReportExport) -> None:
    audit_record(
        actor=by,
        action="report.downloaded",
        target=export,
        detail={"kind": export.kind, "format": export.format, "schemes": export.scheme_ids},
    )


def report_exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of finished exports past their time; the record of them stays."""
    now = now or timezone.now()
    return ReportExport.objects.filter(status=ReportExport.Status.DONE, expires_at__lte=now).update(
        status=ReportExport.Status.EXPIRED, content=None, message="Expired"
    )


#: A build still "running" after this long lost its worker (killed, out of memory, a deploy).
STALE_RUNNING = datetime.timedelta(minutes=15)


def report_exports_fail_stale(*, now: datetime.datetime | None = None) -> int:
    """Say so when a build's worker died: the page stops spinning and offers to try again."""
    now = now or timezone.now()
    return ReportExport.objects.filter(
        status=ReportExport.Status.RUNNING, started_at__lte=now - STALE_RUNNING
    ).update(
        status=ReportExport.Status.FAILED,
        finished_at=now,
        message="The worker stopped while building this report. Build it again from Reports.",
    )


def report_exports_waiting(*, now: datetime.datetime | None = None) -> QuerySet[ReportExport]:
    """Exports nobody picked up: asked for while the broker was down."""
    now = now or timezone.now()
    return ReportExport.objects.filter(
        status=ReportExport.Status.QUEUED, created_at__lte=now - WAITING_GRACE
    )
