"""Real Chromium at phone width: a mentor keeps their own profile up to date (weekly times,
time away for exams, a capacity request) and their coordinator approves the request.

Screenshots land in var/screenshots/issue13/, for people to look at."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from core.tests.running import PHONE, log_in

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "issue13"


def _fits(page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def test_a_mentor_on_a_phone_edits_their_times_and_time_away_and_a_coordinator_approves(
    browser, browser_server, world
):
    """From My mentees the mentor opens their profile, sees their DBS expiry in words, ticks
    Tuesday evening, adds exam season as time away and asks for one more mentee; on their own
    phone the coordinator approves it on the mentor's file; the mentor sees the outcome."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    today = timezone.localdate()
    check = world.mentor_file_a.dbs_checks.get()
    check.expires_on = today + datetime.timedelta(days=45)
    check.save()
    context = browser.new_context(viewport=PHONE)
    log_in(context, browser_server, world.mentor_a)
    page = context.new_page()

    page.goto(browser_server.url + reverse("relationships:my_mentees"))
    page.get_by_role("link", name="Your mentor profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your mentor profile")
    expires = date_format(check.expires_on, "j F Y")
    expect(page.get_by_test_id("own-dates")).to_contain_text(f"expires on {expires}, in 45 days")
    _fits(page)
    page.screenshot(path=SHOTS / "mentor-profile-phone.png", full_page=True)

    page.get_by_role("link", name="Change your weekly times").click()
    page.get_by_label("Tuesday evening").check()
    _fits(page)
    page.screenshot(path=SHOTS / "mentor-availability-phone.png", full_page=True)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your weekly times are saved.")).to_be_visible()
    expect(page.get_by_text("Tuesday evening")).to_be_visible()

    start, end = today + datetime.timedelta(days=20), today + datetime.timedelta(days=41)
    page.get_by_role("link", name="Add time away").click()
    page.get_by_label("From").fill(str(start))
    page.get_by_label("Until").fill(str(end))
    page.get_by_label("Reason").fill("Exam season")
    _fits(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("time-away")).to_contain_text("Exam season")

    page.get_by_role("link", name="Ask for a change").click()
    page.get_by_label("How many mentees could you have at one time?").fill("3")
    page.get_by_label("Why (optional)").fill("Exams are over in June")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("capacity-request")).to_contain_text(
        "You asked for 3 on " + date_format(today, "j F Y") + ": waiting for your coordinator."
    )
    _fits(page)
    page.screenshot(path=SHOTS / "mentor-profile-after-phone.png", full_page=True)

    coordinator = browser.new_context(viewport=PHONE)
    log_in(coordinator, browser_server, world.coordinator_a)
    staff = coordinator.new_page()
    staff.goto(browser_server.url + reverse("mentors:detail", args=[world.mentor_file_a.pk]))
    expect(staff.get_by_test_id("capacity-request")).to_contain_text("Exams are over in June")
    staff.get_by_test_id("capacity-request").scroll_into_view_if_needed()
    staff.screenshot(path=SHOTS / "coordinator-capacity-request-phone.png", full_page=True)
    staff.get_by_role("button", name="Approve").click()
    expect(staff.get_by_text("can now have 3 at one time")).to_be_visible()
    expect(staff.get_by_text("of 3 places taken")).to_be_visible()

    page.reload()
    expect(page.get_by_test_id("capacity-request")).to_contain_text(
        "Your request for 3 was approved"
    )
    expect(page.get_by_text("You can have 3 mentees at one time.")).to_be_visible()
    page.screenshot(path=SHOTS / "mentor-profile-approved-phone.png", full_page=True)
