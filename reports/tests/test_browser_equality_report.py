"""The report page on a phone (390 px): "Who the scheme reaches" shows its tables with the
hidden cells and the key to them, and fits without sideways scrolling. Screenshot in
var/screenshots/issue16/equality-report-phone.png."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.tests.running import PHONE, log_in
from mentees.tests.factories import MenteeFactory, ReferralFactory
from reports import services
from reports.models import ReportExport

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "issue16"


def test_the_equality_section_on_a_phone(browser, browser_server, world):
    """Twelve people referred: ten men, one woman and one who preferred not to say. Both
    small counts read "<5"; since the total (12) less the men would say they are one each,
    the men's count reads "[c]" too; the page says what both marks mean."""
    on = datetime.date(2025, 3, 10)
    for gender in ["man"] * 10 + ["woman", "not_said"]:
        mentee = MenteeFactory(scheme=world.scheme_a, gender=gender, ethnicity="")
        ReferralFactory(mentee=mentee, referred_on=on, status_changed_on=on)
    export = ReportExport.objects.create(
        requested_by=world.manager,
        scheme_ids=[world.scheme_a.pk],
        date_from=datetime.date(2025, 1, 1),
        date_to=datetime.date(2025, 12, 31),
        format=ReportExport.Format.XLSX,
    )
    services.report_export_run(export_id=export.pk)  # what the worker does
    context = browser.new_context(viewport=PHONE)
    log_in(context, browser_server, world.manager)
    page = context.new_page()
    page.goto(browser_server.url + reverse("reports:detail", args=[export.pk]))
    section = page.locator(
        "section", has=page.get_by_role("heading", name="Who the scheme reaches")
    )
    expect(section).to_be_visible()
    gender = section.locator("table", has_text="In another way")
    expect(gender).to_be_visible()
    cells = gender.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].slice(0, 2).map(c => c.textContent.trim()))"
    )
    referred = dict(cells)
    assert referred["Woman"] == referred["Prefer not to say"] == "<5"
    assert (referred["Man"], referred["Everyone referred"]) == ("[c]", "12")
    expect(section).to_contain_text("hidden as well, so that a total")
    section.scroll_into_view_if_needed()
    SHOTS.mkdir(parents=True, exist_ok=True)
    section.screenshot(path=SHOTS / "equality-report-phone.png")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
