"""Asking for a report on the web, building it in the background, reading and downloading it."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from conftest import client_for
from reports import services
from reports.models import ReportExport
from schemes.tests.factories import FundingFactory

pytestmark = pytest.mark.django_db
NEW = reverse("reports:new")


def period() -> dict:
    today = timezone.localdate()
    return {"date_from": str(today - datetime.timedelta(days=364)), "date_to": str(today)}


def ask(client, **data):
    return client.post(NEW, {**period(), "format": "xlsx", **data})


def test_a_coordinator_asks_for_their_schemes_report_and_reads_it(
    world, django_capture_on_commit_callbacks
):
    client = client_for(world.coordinator_a)
    with django_capture_on_commit_callbacks(execute=False):
        response = ask(client, schemes=[world.scheme_a.pk])
    export = ReportExport.objects.get()
    assert response["Location"] == reverse("reports:detail", args=[export.pk])
    assert (export.status, export.scheme_ids, export.requested_by) == (
        ReportExport.Status.QUEUED,
        [world.scheme_a.pk],
        world.coordinator_a,
    )
    page = client.get(reverse("reports:detail", args=[export.pk])).content.decode()
    assert "Building the report" in page and "data-progress-url=" in page

    services.report_export_run(export_id=export.pk)  # what the worker does
    export.refresh_from_db()
    assert export.status == ReportExport.Status.DONE and export.progress == 100
    page = client.get(reverse("reports:detail", args=[export.pk])).content.decode()
    assert "How these are counted" in page and "Download tandem-report-" in page
    assert world.mentee_a.family_name not in page  # figures only, never names

    download = client.get(reverse("reports:download", args=[export.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith('.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(download.content))
    assert "Definitions" in book.sheetnames
    assert AuditEvent.objects.filter(action="report.downloaded", target_id=str(export.pk)).exists()
    assert AuditEvent.objects.filter(action="report.requested", target_id=str(export.pk)).exists()


def test_progress_is_reported_as_it_builds(world):
    export = services.report_export_request(
        by=world.coordinator_a, scheme_ids=[world.scheme_a.pk], format="json", **_dates()
    )
    seen = []
    original = services._progress

    def spy(export_id):
        tell = original(export_id)

        def record(percent, message):
            tell(percent, message)
            seen.append(ReportExport.objects.get(pk=export_id).progress)

        return record

    services._progress = spy
    try:
        services.report_export_run(export_id=export.pk)
    finally:
        services._progress = original
    assert seen == sorted(seen) and seen[0] < 50 <= seen[-1] <= 99
    response = client_for(world.coordinator_a).get(reverse("reports:progress", args=[export.pk]))
    assert response.json() == {
        "status": "done",
        "progress": 100,
        "message": "Ready",
        "finished": True,
    }


def _dates() -> dict:
    today = timezone.localdate()
    return {"date_from": today - datetime.timedelta(days=364), "date_to": today}


def test_a_coordinator_cannot_report_on_another_scheme(world):
    response = ask(client_for(world.coordinator_a), schemes=[world.scheme_b.pk])
    assert response.status_code == 200
    assert not ReportExport.objects.exists()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="only schemes you work with"):
        services.report_export_request(
            by=world.coordinator_a, scheme_ids=[world.scheme_b.pk], format="csv", **_dates()
        )


def test_a_funder_report_covers_the_funders_schemes_the_asker_may_see(world):
    FundingFactory(scheme=world.scheme_a, funder="Lottery Fund")
    FundingFactory(scheme=world.scheme_b, funder="Lottery Fund")
    mine = services.report_export_request(
        by=world.coordinator_a, funder="lottery fund", format="csv", **_dates()
    )
    assert mine.scheme_ids == [world.scheme_a.pk]
    everyone = services.report_export_request(
        by=world.manager, funder="Lottery Fund", format="csv", **_dates()
    )
    assert sorted(everyone.scheme_ids) == sorted([world.scheme_a.pk, world.scheme_b.pk])


def test_someone_elses_report_is_not_found(world):
    export = services.report_export_request(
        by=world.coordinator_a, scheme_ids=[world.scheme_a.pk], format="csv", **_dates()
    )
    for url in ("reports:detail", "reports:progress", "reports:download"):
        assert client_for(world.manager).get(reverse(url, args=[export.pk])).status_code == 404


def test_the_case_level_extract_is_for_managers_and_pseudonymous(world):
    with pytest.raises(PermissionDenied):
        services.report_export_request(
            by=world.coordinator_a,
            scheme_ids=[world.scheme_a.pk],
            format="csv",
            kind=ReportExport.Kind.CASE_EXTRACT,
            **_dates(),
        )
    assert "Case-level extract" not in client_for(world.coordinator_a).get(NEW).content.decode()
    export = services.report_export_request(
        by=world.manager,
        scheme_ids=[world.scheme_a.pk],
        format="csv",
        kind=ReportExport.Kind.CASE_EXTRACT,
        **_dates(),
    )
    services.report_export_run(export_id=export.pk)
    export.refresh_from_db()
    text = bytes(export.content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("reference,scheme,source,referred_on")
    for mentee in (world.mentee_a, world.mentee_a_unmatched):
        assert mentee.family_name not in text and mentee.given_name not in text
    page = client_for(world.manager).get(reverse("reports:detail", args=[export.pk]))
    assert "recorded in the audit trail" in page.content.decode()
    assert AuditEvent.objects.filter(action="report.extract_requested").exists()


def test_files_expire_and_their_downloads_stop(world):
    export = services.report_export_request(
        by=world.coordinator_a, scheme_ids=[world.scheme_a.pk], format="csv", **_dates()
    )
    services.report_export_run(export_id=export.pk)
    export.refresh_from_db()
    assert zipfile.is_zipfile(io.BytesIO(bytes(export.content)))
    assert (
        services.report_exports_expire(now=export.expires_at - datetime.timedelta(minutes=1)) == 0
    )
    assert services.report_exports_expire(now=export.expires_at) == 1
    export.refresh_from_db()
    assert export.status == ReportExport.Status.EXPIRED and export.content is None
    client = client_for(world.coordinator_a)
    assert client.get(reverse("reports:download", args=[export.pk])).status_code == 404
    assert (
        "was deleted on" in client.get(reverse("reports:detail", args=[export.pk])).content.decode()
    )


def test_a_report_asked_for_while_the_broker_was_down_is_run_later(world):
    export = services.report_export_request(
        by=world.coordinator_a, scheme_ids=[world.scheme_a.pk], format="json", **_dates()
    )
    later = timezone.now() + datetime.timedelta(minutes=2)
    assert list(services.report_exports_waiting(now=later)) == [export]
    from reports.tasks import run_waiting_exports

    ReportExport.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    run_waiting_exports()
    export.refresh_from_db()
    assert export.status == ReportExport.Status.DONE
    assert services.report_export_run(export_id=export.pk) is None  # a second delivery: nothing


def test_bad_periods_are_explained(world):
    client = client_for(world.coordinator_a)
    today = timezone.localdate()
    response = client.post(
        NEW,
        {
            "date_from": str(today),
            "date_to": str(today - datetime.timedelta(days=1)),
            "schemes": [world.scheme_a.pk],
            "format": "csv",
        },
    )
    assert "The period ends before it starts" in response.content.decode()
    response = client.post(NEW, {**period(), "format": "csv"})
    assert "Choose at least one scheme, or a funder" in response.content.decode()


def test_a_reversed_period_is_reported_with_the_other_errors_on_the_first_submit(world):
    """A report asked for with no format, no kind and the period the wrong way round lists
    all three problems at once, not the period only after the others are fixed."""
    today = timezone.localdate()
    response = client_for(world.manager).post(
        NEW,
        {
            "date_from": str(today),
            "date_to": str(today - datetime.timedelta(days=1)),
            "schemes": [world.scheme_a.pk],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The period ends before it starts" in page
    assert "Select the format of the report" in page
    assert not ReportExport.objects.exists()


def test_a_build_whose_worker_died_is_marked_failed_not_left_spinning(world):
    export = services.report_export_request(
        by=world.coordinator_a, scheme_ids=[world.scheme_a.pk], format="csv", **_dates()
    )
    ReportExport.objects.filter(pk=export.pk).update(
        status=ReportExport.Status.RUNNING,
        started_at=timezone.now() - datetime.timedelta(minutes=10),
    )
    assert services.report_exports_fail_stale() == 0  # still within its time
    later = timezone.now() + datetime.timedelta(minutes=6)
    assert services.report_exports_fail_stale(now=later) == 1
    export.refresh_from_db()
    assert export.status == ReportExport.Status.FAILED
    page = client_for(world.coordinator_a).get(reverse("reports:detail", args=[export.pk]))
    assert "The worker stopped while building this report." in page.content.decode()


def test_counts_stay_whole_numbers_in_the_exports(world):
    """A count column with an 'n/a' in it must still be whole numbers, not 161.0."""
    export = services.report_export_request(
        by=world.coordinator_a, scheme_ids=[world.scheme_a.pk], format="csv", **_dates()
    )
    services.report_export_run(export_id=export.pk)
    export.refresh_from_db()
    with zipfile.ZipFile(io.BytesIO(bytes(export.content))) as archive:
        funnel = archive.read("funnel__funnel.csv").decode("utf-8-sig")
        mentors = archive.read("mentors__mentors.csv").decode("utf-8-sig")
    consented = next(line for line in funnel.splitlines() if line.startswith("Consented"))
    assert ".0," not in consented and not consented.endswith(".0"), consented
    applied = next(line for line in mentors.splitlines() if line.startswith("Applied"))
    assert not applied.endswith(".0"), applied


def test_the_extract_is_a_csv_file_and_the_pages_say_so(world):
    """Choosing Excel (or PDF, JSON) for the case-level extract is refused on the form with
    the reason, not quietly swapped for a CSV; a CSV extract downloads as one .csv file and
    its pages call it "CSV file", not "CSV files (zip)"."""
    client = client_for(world.manager)
    for format in ("xlsx", "pdf", "json"):
        response = ask(client, schemes=[world.scheme_a.pk], kind="case_extract", format=format)
        assert response.status_code == 200
        assert "comes as one CSV file: choose CSV" in response.content.decode()
    assert not ReportExport.objects.exists()
    with pytest.raises(ValidationError):
        services.report_export_request(
            by=world.manager,
            scheme_ids=[world.scheme_a.pk],
            format="xlsx",
            kind=ReportExport.Kind.CASE_EXTRACT,
            **_dates(),
        )

    response = ask(client, schemes=[world.scheme_a.pk], kind="case_extract", format="csv")
    assert response.status_code == 302
    export = ReportExport.objects.get()
    services.report_export_run(export_id=export.pk)
    export.refresh_from_db()
    assert export.filename.endswith(".csv")
    download = client.get(reverse("reports:download", args=[export.pk]))
    assert download["Content-Type"].startswith("text/csv")
    page = client.get(reverse("reports:detail", args=[export.pk])).content.decode()
    assert "· CSV file</p>" in page and "CSV files (zip)" not in page
    # The recent list (beside the form, whose choices still offer the funder report's zip).
    assert "· CSV file ·" in client.get(NEW).content.decode()
