"""Real Chromium at phone width: a coordinator takes an applicant all the way to active.

Screenshots of the mentor's file and the list land in test-results/screenshots/ at phone and
desktop width, for people to look at."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from core.tests.running import DESKTOP, PHONE, log_in

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


def _fits(page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def _change_status(page, to: str) -> None:
    page.get_by_role("link", name="Change status").click()
    page.get_by_label(to, exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("status changed")).to_be_visible()


def test_a_coordinator_on_a_phone_vets_a_new_mentor_and_makes_them_active(
    browser, browser_server, world
):
    today = timezone.localdate()
    expires = today + datetime.timedelta(days=3 * 365)
    context = browser.new_context(viewport=PHONE)
    log_in(context, browser_server, world.coordinator_a)
    page = context.new_page()

    page.goto(browser_server.url + reverse("mentors:list"))
    page.get_by_role("link", name="Add a mentor").click()
    page.get_by_label("Given name").fill("Tomasz")
    page.get_by_label("Family name").fill("Nowak")
    page.get_by_label("Kind of mentor").select_option(label="Peer mentor (lived experience)")
    page.get_by_label("Home area").fill("ls6")
    page.get_by_label("Languages").fill("English, Polish")
    _fits(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tomasz Nowak")
    expect(page.get_by_test_id("status")).to_have_text("Applied")

    _change_status(page, "In training")
    _change_status(page, "Vetting")

    page.get_by_role("link", name="Record DBS check").click()
    page.get_by_label("Level").select_option(label="Enhanced with barred list")
    page.get_by_label("Issue date").fill(str(today - datetime.timedelta(days=10)))
    page.get_by_label("Expiry date").fill(str(expires))
    _fits(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("DBS check recorded.")).to_be_visible()

    page.get_by_role("link", name="Change status").click()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "mentor-status-phone.png", full_page=True)
    page.go_back()
    _change_status(page, "Active")
    expect(page.get_by_test_id("status")).to_have_text("Active")
    expect(page.get_by_text(f"expires {date_format(expires, 'j M Y')}")).to_be_visible()
    expect(page.get_by_text("Can be matched today.")).to_be_visible()
    _fits(page)

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "mentor-file-phone.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=SHOTS / "mentor-file-desktop.png", full_page=True)

    page.get_by_role("link", name="Edit availability").click()
    page.set_viewport_size(PHONE)
    page.get_by_label("Tuesday evening").check(force=True)
    page.get_by_label("Saturday morning").check(force=True)
    page.get_by_label("Capacity").fill("2")
    _fits(page)
    page.screenshot(path=SHOTS / "mentor-availability-phone.png", full_page=True)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Tuesday evening")).to_be_visible()
    expect(page.get_by_text("Saturday morning")).to_be_visible()
    expect(page.get_by_text("0 of 2")).to_be_visible()

    page.goto(browser_server.url + reverse("mentors:list"))
    page.set_viewport_size(DESKTOP)
    row = page.get_by_role("link", name="Tomasz Nowak")
    expect(row).to_contain_text("Active")
    expect(row).to_contain_text(f"DBS expires {date_format(expires, 'j M Y')}")
    page.screenshot(path=SHOTS / "mentor-list-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    _fits(page)
    page.screenshot(path=SHOTS / "mentor-list-phone.png", full_page=True)
    context.close()
