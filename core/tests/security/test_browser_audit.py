"""A manager's reading of the audit trail at phone width (issue 15): a coordinator's search of
the mentee list and their opening of the edit form are there in words, the search by the
filters used and never by what was typed. Screenshot: var/screenshots/issue15/audit-*.png."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.tests.running import PHONE, log_in

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots" / "issue15"


def test_a_search_and_an_opened_edit_form_read_in_words_on_the_trail(
    browser, browser_server, world
):
    """What the coordinator typed is not on the trail; that they searched, and with which
    filters, is; so is opening the form that shows date of birth and prison number."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    words = world.mentee_a.family_name
    coordinator = browser.new_context(viewport=PHONE, locale="en-GB")
    log_in(coordinator, browser_server, world.coordinator_a)
    page = coordinator.new_page()
    page.goto(browser_server.url + reverse("mentees:list"))
    page.get_by_text("Search and filter").click()
    page.get_by_label("Name or reference").fill(words)
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text(f"{world.mentee_a.given_name} {words}")).to_be_visible()
    page.goto(browser_server.url + reverse("mentees:edit", args=[world.mentee_a.pk]))

    manager = browser.new_context(viewport=PHONE, locale="en-GB")
    log_in(manager, browser_server, world.manager)
    trail = manager.new_page()
    trail.goto(browser_server.url + reverse("audit:list"))
    expect(trail.get_by_text("Searched the mentee list", exact=True)).to_be_visible()
    expect(trail.get_by_text("Filters: name or reference")).to_be_visible()
    expect(trail.get_by_text("People listed: 1")).to_be_visible()
    expect(
        trail.get_by_text(
            "Opened a mentee's details to edit (date of birth, prison number)", exact=True
        )
    ).to_be_visible()
    assert words not in trail.locator("ul.list-group").inner_text()
    assert trail.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    trail.screenshot(path=SHOTS / "audit-trail-phone.png", full_page=True)
