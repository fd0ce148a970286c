"""On a phone, a coordinator moving a scheme's records into Tandem gives the day the scheme
started using it, and the check says what the watcher will make of the file before anything
is written: the history, the live records and the flags the first sweep will raise, in words.
The check is run here as the worker runs it (home/tests/test_browser_import.py drives the
real worker). Screenshots go to var/screenshots/issue13/."""

import datetime
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.running import PHONE, log_in
from core.tests.test_browser_accessibility import axe_check, describe
from home.import_jobs import import_job_run
from home.models import ImportJob
from home.tests.test_import_go_live_page import live_workbook
from mentees.models import Referral

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "issue13"


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_coordinator_gives_the_go_live_date_and_reads_what_the_first_sweep_will_raise(
    browser, browser_server, world, tmp_path
):
    """At 390 px: the go-live date, filled with today and explained, set to 60 days ago; the
    check's page gives the history and live counts and each kind of flag in words, and
    nothing is written until the go-ahead. Both pages pass axe-core (WCAG A and AA)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "records.xlsx"
    path.write_bytes(live_workbook())
    go_live = timezone.localdate() - datetime.timedelta(days=60)
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    context.add_init_script(script=AXE_SCRIPT)
    findings: dict = {}
    log_in(context, browser_server, world.coordinator_a)
    page = context.new_page()
    page.goto(browser_server.url + reverse("home:import"))
    field = page.get_by_label("Go-live date")
    expect(field).to_have_value(timezone.localdate().isoformat())
    expect(
        page.get_by_text("Tandem raises no flags about anything before this date.")
    ).to_be_visible()
    page.get_by_label("Everything: an Excel workbook with a sheet for each kind").check()
    page.get_by_label("CSV file or Excel workbook").set_input_files(path)
    field.fill(go_live.isoformat())
    page.screenshot(path=SHOTS / "go-live-1-upload-phone.png", full_page=True)
    assert fits(page)
    axe_check(page, "the import page", "390 px", findings)
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("progressbar", name="Progress")).to_be_visible()

    import_job_run(job_id=ImportJob.objects.get().pk)  # as the worker would
    page.reload()
    look = page.locator("[data-first-look]")
    expect(look).to_contain_text(f"Go-live date: {go_live:%-d %b %Y}")
    expect(look).to_contain_text("live (open: watched from the go-live date)")
    expect(look.get_by_text("Waiting long for a match: ")).to_be_visible()
    look.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "go-live-2-checked-phone.png", full_page=True)
    assert fits(page)
    axe_check(page, "the checked job's page", "390 px", findings)
    assert not findings, describe(findings)
    assert not Referral.objects.filter(mentee__reference__startswith="HP-").exists()
    context.close()
