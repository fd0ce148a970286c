"""A manager runs a report, watches the progress bar while a real worker builds it, and
downloads the XLSX; at phone and desktop width."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from core.tests.running import DESKTOP, PHONE, log_in
from flags.tests.test_worker import worker
from mentoring.celery import app
from reports.models import ReportExport

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


@pytest.mark.skipif(
    not settings.CELERY_BROKER_URL.startswith("redis://"), reason="needs the test Redis"
)
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_manager_runs_a_report_watches_it_build_and_downloads_it(
    browser, browser_server, world, size
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    app.control.purge()
    context = browser.new_context(
        viewport=PHONE if size == "phone" else DESKTOP, locale="en-GB", accept_downloads=True
    )
    log_in(context, browser_server, world.manager)
    page = context.new_page()
    page.goto(browser_server.url + reverse("reports:new"))
    page.get_by_label(world.scheme_a.name).check()
    page.get_by_label(world.scheme_b.name).check()
    page.get_by_label("Excel (XLSX)").check()
    page.get_by_label("Funder report (aggregate, no names)").check()  # preselected: kept
    page.screenshot(path=SHOTS / f"reports-1-form-{size}.png", full_page=True)
    page.get_by_role("button", name="Build the report").click()

    bar = page.get_by_role("progressbar", name="Progress")
    expect(bar).to_be_visible()  # no worker yet: the job waits, and the page says so
    expect(page.get_by_text("Waiting for the worker")).to_be_visible()
    page.screenshot(path=SHOTS / f"reports-2-progress-{size}.png", full_page=True)

    with worker(settings.CELERY_BROKER_URL):
        link = page.get_by_role("link", name="Download tandem-report-")
        expect(link).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading", name="The funnel", exact=True)).to_be_visible()
    page.screenshot(path=SHOTS / f"reports-3-done-{size}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    with page.expect_download() as caught:
        link.click()
    book = openpyxl.load_workbook(io.BytesIO(Path(caught.value.path()).read_bytes()))
    assert "Definitions" in book.sheetnames and len(book.sheetnames) >= 4
    export = ReportExport.objects.get()
    assert sorted(export.scheme_ids) == sorted([world.scheme_a.pk, world.scheme_b.pk])
    context.close()
