"""At 390 px, the page of a check that found problems on three sheets: every problem listed,
and the sheets whose look-ups waited saying so, in words that fit the phone."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import client_for
from core.tests.running import PHONE, log_in
from home.importers import WAITED
from home.tests.importing import upload
from home.tests.test_import_one_pass import newcomers_workbook

pytestmark = [pytest.mark.browser]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "issue16"


def test_the_newcomers_check_reads_on_a_phone(browser, browser_server, world):
    """The three problems are listed, relationships and meetings say which checks waited and
    why, and nothing is wider than the phone but the table's own scrolling box."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    job = upload(
        client_for(world.coordinator_a),
        kind="workbook",
        scheme_id=world.scheme_a.pk,
        name="newcomer.xlsx",
        data=newcomers_workbook(),
    )
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    log_in(context, browser_server, world.coordinator_a)
    page = context.new_page()
    page.goto(browser_server.url + reverse("home:import_job", args=[job.pk]))
    expect(page.get_by_text("Fix 3 problems in the file")).to_be_visible()
    expect(page.locator(".import-problems li")).to_have_count(3)
    expect(page.get_by_text(WAITED["meetings"])).to_be_visible()
    expect(page.get_by_text(WAITED["relationships"])).to_be_visible()
    page.screenshot(path=SHOTS / "import-one-pass-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
