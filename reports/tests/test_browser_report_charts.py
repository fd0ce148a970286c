"""The report page with its charts in real Chromium at 390 px and 1280 px: no axe-core
violation (WCAG 2.0 to 2.2, A and AA), nothing wider than a phone, and screenshots in
var/screenshots/issue16/ to look at."""

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.urls import reverse
from playwright.sync_api import expect

from core.tests.running import DESKTOP, PHONE, log_in
from core.tests.test_browser_accessibility import AXE_OPTIONS
from reports import services
from reports.models import ReportExport
from reports.tests.pdf_sample import SCREENSHOTS, chart_report

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_report_page_shows_its_charts_accessibly_at_phone_and_desktop_width(
    browser, browser_server, world, size
):
    """A coordinator reads a built report: the headline in words, the charts as images named
    by their titles, every chart within the screen's width, and no accessibility violation."""
    report = chart_report()
    report.funder = ""
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
    context.add_init_script(script=AXE_SCRIPT)
    log_in(context, browser_server, world.coordinator_a)
    page = context.new_page()
    page.goto(browser_server.url + reverse("reports:detail", args=[export.pk]))
    expect(page.get_by_text("Of 200 people referred, 6 met a mentor: 3.0%.")).to_be_visible()
    funnel = page.get_by_role(
        "img",
        name="The funnel: people at each stage, and their share of everyone referred",
        exact=True,
    )
    expect(funnel).to_be_visible()
    expect(page.get_by_role("img", name="Referred, by quarter", exact=True)).to_be_visible()
    box = funnel.bounding_box()
    assert box and box["width"] <= page.viewport_size["width"] and box["height"] > 100
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"report-page-{size}.png", full_page=True)
    results = page.evaluate("(options) => axe.run(document, options)", AXE_OPTIONS)
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in results["violations"]] == []
    context.close()
