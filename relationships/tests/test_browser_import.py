"""A coordinator, in a real browser, checks a meetings file that carries private notes: the
worker's check refuses it, the page says why line by line, and nothing is imported.
Screenshots at phone and desktop width go to test-results/screenshots/."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.tests.running import DESKTOP, PHONE, log_in
from home.import_jobs import import_job_run
from home.models import ImportJob
from relationships.models import Meeting

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_meetings_file_with_private_notes_is_refused_on_the_page(
    browser, browser_server, world, viewport, tmp_path
):
    width = "phone" if viewport == PHONE else "desktop"
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "meetings.csv"
    path.write_text(
        "mentee_reference,mentor_reference,matched_on,held_on,mode,initiated_by,purpose,"
        "note_private\nT1,VOL-1,2026-01-05,2026-01-09,phone,mentee,goals,Only mine\n"
    )
    context = browser.new_context(viewport=viewport)
    log_in(context, browser_server, world.coordinator_a)
    page = context.new_page()
    page.goto(browser_server.url + reverse("home:import"))
    page.get_by_label("Past meetings, after relationships").check()
    page.get_by_label("CSV file or Excel workbook").set_input_files(path)
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("progressbar", name="Progress")).to_be_visible()
    import_job_run(job_id=ImportJob.objects.get().pk)  # as the worker would
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was imported")
    expect(page.get_by_text("never travel in files")).to_be_visible()
    page.screenshot(path=SHOTS / f"import-meetings-refused-{width}.png", full_page=True)
    assert not Meeting.objects.filter(note_private="Only mine").exists()
