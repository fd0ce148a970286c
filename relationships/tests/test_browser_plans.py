"""A mentor, on a 390 px phone, plans their next meeting from My mentees and sees it on the
card, moves it, then cancels it ahead of time, and the relationship page shows who called it
off and why. Screenshots go to var/screenshots/issue13/."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.running import DESKTOP, PHONE, log_in
from flags.models import Flag, Kind, Severity
from relationships.models import PlannedMeeting
from relationships.tests.plan_factories import PlannedMeetingFactory
from relationships.tests.plan_kit import soon

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "issue13"


def _day(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def test_a_mentor_plans_moves_and_cancels_a_meeting_on_a_phone(browser, browser_server, world):
    """Plan from the card, see it there, move it, cancel it ahead: each step on the phone,
    each in the mentor's words on the page it lands on; the coordinator reads the same."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    mentee = world.mentee_a
    mentee.given_name, mentee.family_name = "Dorian", "Quillfeather"
    mentee.save()
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    log_in(context, browser_server, world.mentor_a)
    page = context.new_page()
    page.goto(browser_server.url + reverse("relationships:my_mentees"))
    card = page.get_by_role("article", name="Dorian Quillfeather")
    expect(card).to_contain_text("None planned.")
    card.get_by_role("link", name="Plan a meeting with Dorian").click()

    expect(page.get_by_role("heading", name="Plan a meeting")).to_be_visible()
    page.get_by_role("button", name="Plan the meeting").click()  # sent empty first
    expect(page.get_by_role("alert")).to_contain_text("Enter the date of the meeting")
    first = _day(3)
    page.get_by_label("Date").fill(first.isoformat())
    page.get_by_label("Time").fill("14:30")
    how = page.get_by_role("group", name="How will you meet?")
    place = page.get_by_role("group", name="Kind of place")
    expect(place).to_contain_text("No addresses")
    expect(place).not_to_contain_text("Phone call")  # a call is how, not where
    how.get_by_label("Phone").check()
    place.get_by_label("Custody").check()  # a contradiction, refused in words
    page.get_by_role("button", name="Plan the meeting").click()
    expect(page.get_by_role("alert")).to_contain_text("A phone meeting is a phone call")
    page.screenshot(path=SHOTS / "walkfix-1-plan-form.png", full_page=True)
    page.get_by_role("group", name="How will you meet?").get_by_label("Face to face").check()
    place = page.get_by_role("group", name="Kind of place")
    place.get_by_label("Probation office").check()
    page.screenshot(path=SHOTS / "plans-1-form-phone.png", full_page=True)
    page.get_by_role("button", name="Plan the meeting").click()
    expect(page.get_by_text("Meeting planned.")).to_be_visible()
    plan = PlannedMeeting.objects.get(relationship=world.relationship_a)
    expect(page.locator(f"#plan-{plan.pk}")).to_contain_text("Probation office")

    page.goto(browser_server.url + reverse("relationships:my_mentees"))
    card = page.get_by_role("article", name="Dorian Quillfeather")
    when = f"{first:%a} {first.day} {first:%b %Y}, 14:30"
    expect(card.locator(".next-meeting")).to_contain_text(when)
    expect(card.locator(".next-meeting")).to_contain_text("Face to face · Probation office")
    page.screenshot(path=SHOTS / "plans-2-my-mentees-phone.png", full_page=True)

    card.get_by_role("link", name="Dorian Quillfeather").click()
    page.get_by_role("link", name=f"Move the meeting of {first.day} {first:%B}, 14:30").click()
    later = _day(5)
    page.get_by_label("Date").fill(later.isoformat())
    page.get_by_label("Time").fill("10:00")
    page.get_by_label("Why is it moving?").fill("Clashes with a job interview")
    page.get_by_role("button", name="Move the meeting").click()
    expect(
        page.get_by_text(f"Meeting moved to {later:%A} {later.day} {later:%B}, 10:00.")
    ).to_be_visible()
    moved = page.locator(f"#plan-{plan.pk}")
    expect(moved).to_contain_text("Moved by Max Mentor")
    expect(moved).to_contain_text(f"{later:%A} {later.day} {later:%B %Y}, 10:00")
    page.screenshot(path=SHOTS / "plans-3-moved-phone.png", full_page=True)

    moved.get_by_role("link", name="Cancel the meeting of").click()
    expect(page.get_by_role("heading", name="Call the meeting off")).to_be_visible()
    expect(page.get_by_role("link", name="Keep the meeting")).to_be_visible()
    page.get_by_role("group", name="Who called it off?").get_by_label("Dorian").check()
    page.get_by_label("Why").fill("Job interview that morning")
    page.screenshot(path=SHOTS / "walkfix-2-cancel.png", full_page=True)
    page.get_by_role("button", name="Call the meeting off").click()
    expect(page.get_by_text("Meeting cancelled.")).to_be_visible()
    answered = page.locator(f"#plan-{plan.pk}")
    expect(answered).to_contain_text("Cancelled by the mentee: “Job interview that morning”")
    expect(answered).to_contain_text("Recorded by Max Mentor")
    expect(page.locator("#plans")).to_contain_text("No meeting planned.")
    page.screenshot(path=SHOTS / "plans-5-cancelled-phone.png", full_page=True)
    # Nothing sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # A phone plan to come reads "Phone call" on the card; the watcher's prompt about a plan
    # left unanswered opens its "Did it happen?" page.
    rel = world.relationship_a
    PlannedMeetingFactory(relationship=rel, starts_at=soon(2), mode="phone", place="phone")
    past = timezone.now() - datetime.timedelta(days=5)
    PlannedMeetingFactory(relationship=rel, starts_at=past)
    on = timezone.localdate(past)
    Flag.objects.create(
        kind=Kind.PLAN_OUTCOME_NOT_RECORDED,
        severity=Severity.LOW,
        scheme=rel.mentee.scheme,
        relationship=rel,
        evidence="The meeting planned has had no outcome recorded.",
        figures={"planned_on": on.isoformat()},
        raised_at=timezone.now(),
    )
    page.goto(browser_server.url + reverse("relationships:my_mentees"))
    card = page.get_by_role("article", name="Dorian Quillfeather")
    expect(card.locator(".next-meeting")).to_contain_text("Phone call")
    expect(card.locator(".next-meeting")).not_to_contain_text("Phone ·")
    page.screenshot(path=SHOTS / "walkfix-3-my-mentees.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    card.get_by_role("link", name=f"Did your meeting on {on.day} {on:%B} happen?").click()
    expect(page.get_by_role("heading", name="Did you meet Dorian?")).to_be_visible()
    context.close()

    # The coordinator, at a desk, reads the same: who called it off and why.
    desk = browser.new_context(viewport=DESKTOP, locale="en-GB")
    log_in(desk, browser_server, world.coordinator_a)
    page = desk.new_page()
    page.goto(browser_server.url + reverse("relationships:detail", args=[plan.relationship_id]))
    expect(page.locator(f"#plan-{plan.pk}")).to_contain_text("Job interview that morning")
    page.screenshot(path=SHOTS / "plans-6-relationship-desktop.png", full_page=True)
    desk.close()
