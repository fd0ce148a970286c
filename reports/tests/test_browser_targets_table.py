"""The targets table on the report page reads on a phone: four columns (the stage and the
scheme, a short period, the actual of the target in words, the status) fit 390 px without
scrolling sideways, so the actual and the status are on screen. Screenshots at 390 px and
1280 px in var/screenshots/issue16/ to look at."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.tests.running import DESKTOP, PHONE, log_in
from reports import services
from reports.models import ReportExport
from reports.report import Report
from reports.sections.targets import targets_section
from reports.tests.pdf_sample import SCREENSHOTS
from reports.tests.test_targets_section import _rows

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_targets_table_fits_a_phone_with_the_actual_and_status_on_screen(
    browser, browser_server, world, size
):
    """Every cell of the targets table lies within the screen's width at 390 px and 1280 px;
    the actual reads "3 of 5 (60%)" and a running target says how much of it has gone."""
    rows = _rows()
    report = Report(
        date_from=rows.date_from,
        date_to=rows.period_to,
        schemes=list(rows.schemes.items()),
        generated_at=datetime.datetime(2025, 8, 15, 9, 0, tzinfo=datetime.UTC),
        sections=[targets_section(rows)],
    )
    export = ReportExport.objects.create(
        requested_by=world.coordinator_a,
        scheme_ids=[world.scheme_a.pk],
        date_from=report.date_from,
        date_to=report.date_to,
        format=ReportExport.Format.PDF,
        status=ReportExport.Status.DONE,
        summary=services.summary(report),
    )
    context = browser.new_context(viewport=PHONE if size == "phone" else DESKTOP, locale="en-GB")
    log_in(context, browser_server, world.coordinator_a)
    page = context.new_page()
    page.goto(browser_server.url + reverse("reports:detail", args=[export.pk]))
    table = page.get_by_role("table").first
    expect(table.get_by_text("3 of 5 (60%)")).to_be_visible()
    expect(table.get_by_text("Running: 62% gone").first).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    table.screenshot(path=SCREENSHOTS / f"targets-table-{size}.png")
    page.screenshot(path=SCREENSHOTS / f"targets-page-{size}.png", full_page=True)
    width = page.viewport_size["width"]
    right_edges = table.locator("th, td").evaluate_all(
        "cells => cells.map(c => c.getBoundingClientRect().right)"
    )
    assert right_edges and max(right_edges) <= width, (max(right_edges), width)
    context.close()
