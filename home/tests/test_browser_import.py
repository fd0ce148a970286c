"""A coordinator on a phone uploads a workbook with a sheet per kind, watches a real worker
check it, reads what would be imported, says go, watches the import and sees the result.
Screenshots go to var/screenshots/issue16/."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from core.tests.running import PHONE, log_in
from flags.tests.test_worker import worker
from home.models import ImportJob
from home.tests.workbooks import cohort
from mentees.models import Mentee
from mentoring.celery import app
from relationships.models import Meeting

pytestmark = [pytest.mark.browser, pytest.mark.real_queue]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "issue16"
#: Big enough that the check and the import take a moment, small enough for a quick test.
SIZES = {"mentees": 200, "mentors": 5, "relationships": 60, "meetings": 150}


def moving(page, shot: Path) -> None:
    """A picture of the bar part-way, if the page shows one before the work ends (the worker
    may be quicker than the page's once-a-second look)."""
    bar = page.get_by_role("progressbar", name="Progress")
    for _ in range(600):
        if not bar.count():
            return
        value = bar.get_attribute("aria-valuenow") or "0"
        if value.isdigit() and 0 < int(value) < 100:
            page.screenshot(path=shot, full_page=True)
            return
        page.wait_for_timeout(50)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.skipif(
    not settings.CELERY_BROKER_URL.startswith("redis://"), reason="needs the test Redis"
)
def test_a_coordinator_imports_a_workbook_through_the_worker_on_a_phone(
    browser, browser_server, world, tmp_path
):
    """At 390 px: upload, a progress bar while a real worker checks, the counts read, the go-
    ahead, a progress bar while it imports, the result with links; nothing written before
    the go-ahead, the file deleted after."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    app.control.purge()
    path = tmp_path / "northgate-history.xlsx"
    path.write_bytes(cohort(**SIZES))
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    log_in(context, browser_server, world.coordinator_a)
    page = context.new_page()
    page.goto(browser_server.url + reverse("home:import"))
    page.get_by_label("Everything: an Excel workbook with a sheet for each kind").check()
    page.get_by_label("CSV file or Excel workbook").set_input_files(path)
    page.screenshot(path=SHOTS / "import-1-upload-phone.png", full_page=True)
    assert fits(page)
    page.get_by_role("button", name="Upload and check").click()

    bar = page.get_by_role("progressbar", name="Progress")
    expect(bar).to_be_visible()  # no worker yet: the job waits, and the page says so
    expect(page.get_by_text("Waiting for the worker")).to_be_visible()
    page.screenshot(path=SHOTS / "import-2-waiting-phone.png", full_page=True)

    with worker(settings.CELERY_BROKER_URL):
        button = page.get_by_role("button", name="Import these 415 records")
        moving(page, SHOTS / "import-2b-checking-phone.png")
        expect(button).to_be_visible(timeout=120_000)
        assert not Mentee.objects.filter(reference__startswith="HP-").exists()
        expect(page.get_by_role("row", name="Meetings (sheet meetings) 150 150 0")).to_be_visible()
        page.screenshot(path=SHOTS / "import-3-checked-phone.png", full_page=True)
        assert fits(page)
        button.click()
        expect(page.get_by_role("progressbar", name="Progress")).to_be_visible()
        page.screenshot(path=SHOTS / "import-4-importing-phone.png", full_page=True)
        expect(page.get_by_text("Imported 415 records")).to_be_visible(timeout=120_000)
    page.screenshot(path=SHOTS / "import-5-done-phone.png", full_page=True)
    assert fits(page)
    expect(page.get_by_role("link", name="See the mentees")).to_be_visible()
    assert Mentee.objects.filter(reference__startswith="HP-").count() == 200
    assert Meeting.objects.filter(relationship__mentee__reference__startswith="HP-").count() == 150
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE and job.content is None
    context.close()
