"""The demo's targets reach the funder report: a manager reads targets against actuals and
the trend by quarter of the funder's grant on the report page, at phone and desktop width."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from core.tests.running import DESKTOP, PHONE, log_in
from demo.management.commands.seed_demo import DEMO_LOGINS
from reports import services
from reports.quarters import quarter_end
from reports.sections.funnel import STAGES
from schemes.models import Funding

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "issue16"


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_manager_reads_the_demo_targets_and_trend_on_the_report_page(
    browser, browser_server, size
):
    """This financial year's report for a demo funder, set up before the quarter ends: the
    page shows the targets with how far each is, a combined row where schemes share a
    target, and the quarters of the grant with every funnel stage, without scrolling the
    page sideways."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    call_command("seed_demo", "--scale", "demo", "--seed", "7", stdout=io.StringIO())
    manager = User.objects.get(email=DEMO_LOGINS["manager"])
    today = timezone.localdate()
    year = today.year if today.month >= 4 else today.year - 1
    funder = Funding.objects.order_by("funder").values_list("funder", flat=True).first()
    export = services.report_export_request(
        by=manager,
        funder=str(funder),
        date_from=today.replace(year=year, month=4, day=1),
        date_to=quarter_end(today),
        format="json",
    )
    services.report_export_run(export_id=export.pk)

    context = browser.new_context(viewport=PHONE if size == "phone" else DESKTOP, locale="en-GB")
    log_in(context, browser_server, manager)
    page = context.new_page()
    page.goto(browser_server.url + reverse("reports:detail", args=[export.pk]))
    section = page.locator("section[aria-labelledby=s-targets]")
    expect(section.get_by_role("heading", name="Targets against actuals")).to_be_visible()
    expect(section.get_by_role("cell", name="Running:").first).to_be_visible()
    trend = section.get_by_role("region", name="Trend by quarter")
    for _, title in STAGES:
        expect(trend.get_by_role("columnheader", name=title, exact=True)).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    section.scroll_into_view_if_needed()
    section.screenshot(path=SHOTS / f"report-targets-{size}.png")
    page.screenshot(path=SHOTS / f"report-targets-page-{size}.png", full_page=True)
    context.close()
