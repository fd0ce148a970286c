"""A concern's whole journey in Chromium, at phone and desktop width: a mentor logs a meeting
with a concern; the coordinator finds it heading the dashboard, acknowledges it, records an
action and closes it with an outcome; the mentor then sees it received and closed, never the
action or the closing note. Screenshots go to var/screenshots/issue12/concerns-*.png."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from concerns.models import Concern, Outcome
from core.tests.running import DESKTOP, PHONE, log_in
from relationships.tests.offline_kit import (
    CONCERN_WAITS,
    READ_OUTBOX,
    SAVED,
    fill,
    open_form,
    wait_for_outbox,
)

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "issue12"
WORDS = "Said a man at the hostel took his phone and threatened him"
ACTION = "Spoke to his probation officer, Ms Okafor, who will see him tomorrow"
CLOSING = "Moved to another hostel by his probation officer; he feels safe there"


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_concern_from_the_meeting_form_to_its_outcome(browser, browser_server, world, size):
    """The mentor's concern heads the coordinator's dashboard, is acknowledged, acted on and
    closed; the mentor sees "Received" and "Closed" on their meeting, and nothing more."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    viewport = PHONE if size == "phone" else DESKTOP
    mentee = world.mentee_a
    mentee.given_name, mentee.family_name = "Dorian", "Quillfeather"
    mentee.save()
    relationship = world.relationship_a

    mentor_context = browser.new_context(viewport=viewport, locale="en-GB")
    log_in(mentor_context, browser_server, world.mentor_a)
    mentor = mentor_context.new_page()
    mentor.goto(browser_server.url + reverse("relationships:meeting_new", args=[relationship.pk]))
    mentor.get_by_text("Yes, we met", exact=True).click()
    mentor.get_by_text("Face to face", exact=True).click()
    mentor.get_by_text("45 min", exact=True).click()
    mentor.get_by_role("group", name="Who got in touch first?").get_by_text("Dorian").click()
    mentor.get_by_text("Working on goals", exact=True).click()
    mentor.get_by_label("Concern (safeguarding or risk)").fill(WORDS)
    mentor.get_by_text("Safeguarding the mentee", exact=True).click()
    mentor.get_by_text("Urgent: needs action today", exact=True).click()
    mentor.locator(".note-concern").screenshot(path=SHOTS / f"concerns-1-mentor-form-{size}.png")
    mentor.get_by_role("button", name="Log meeting").click()
    expect(mentor.get_by_text("Your concern has gone to the coordinator.")).to_be_visible()
    concern = Concern.objects.get()
    assert concern.raised_by == world.mentor_a and concern.urgency == "today"

    staff_context = browser.new_context(viewport=viewport, locale="en-GB")
    log_in(staff_context, browser_server, world.coordinator_a)
    staff = staff_context.new_page()
    staff.goto(browser_server.url + reverse("home:dashboard"))
    first_heading = staff.locator("main h2").first
    expect(first_heading).to_contain_text("Open concerns")
    item = staff.locator(".dashboard-concerns .list-group-item").first
    expect(item).to_contain_text("Safeguarding the mentee: Dorian Quillfeather")
    expect(item).to_contain_text("Urgent today")
    no_sideways_scroll(staff)
    staff.screenshot(path=SHOTS / f"concerns-2-dashboard-{size}.png")

    item.get_by_role("link", name="Safeguarding the mentee: Dorian Quillfeather").click()
    expect(staff.get_by_text(WORDS)).to_be_visible()
    staff.get_by_role("button", name="Acknowledge the concern").click()
    expect(staff.get_by_text("Concern acknowledged")).to_be_visible()
    expect(staff.get_by_text("Acknowledged by Cat Coordinator")).to_be_visible()

    staff.get_by_role("group", name="What was done?").get_by_label("Informed probation").check()
    staff.locator("[name=action-note]").fill(ACTION)
    staff.get_by_role("button", name="Record the action").click()
    expect(staff.get_by_text("Action recorded.")).to_be_visible()
    expect(staff.locator(".concern-action")).to_contain_text("Informed probation")
    staff.screenshot(path=SHOTS / f"concerns-3-acting-{size}.png", full_page=True)

    ended = staff.get_by_role("group", name="How did it end?")
    ended.get_by_label("Referred to another agency").check()
    staff.locator("[name=close-note]").fill(CLOSING)
    staff.get_by_role("button", name="Close the concern").click()
    expect(staff.get_by_text("Concern closed.")).to_be_visible()
    expect(staff.get_by_text("Closed by Cat Coordinator")).to_be_visible()
    no_sideways_scroll(staff)
    staff.screenshot(path=SHOTS / f"concerns-4-closed-{size}.png", full_page=True)
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED and concern.outcome == Outcome.REFERRED

    mentor.goto(browser_server.url + reverse("relationships:detail", args=[relationship.pk]))
    on_meeting = mentor.locator(".meeting-concern")
    expect(on_meeting).to_contain_text(WORDS)
    expect(on_meeting).to_contain_text("Received")
    expect(on_meeting).to_contain_text("Closed")
    body = mentor.content()
    for hidden in (ACTION, CLOSING, "Informed probation", "Referred to another agency"):
        assert hidden not in body
    on_meeting.scroll_into_view_if_needed()
    no_sideways_scroll(mentor)
    on_meeting.screenshot(path=SHOTS / f"concerns-5-mentor-sees-{size}.png")
    mentor_context.close()
    staff_context.close()


def test_with_no_signal_a_concern_without_its_kind_is_asked_for_on_the_phone(
    browser, browser_server, world
):
    """Offline, the phone asks for the concern's kind only when a concern is written, in the
    server's words, and keeps nothing until it is chosen; chosen, the form is kept."""
    mentee = world.mentee_a
    mentee.given_name = "Dorian"
    mentee.save()
    context, page = open_form(browser, browser_server, world.mentor_a, world.relationship_a)
    context.set_offline(True)
    fill(page)
    page.get_by_label("Concern (safeguarding or risk)").fill(WORDS)
    page.get_by_role("button", name="Log meeting").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Select what kind of concern it is")
    assert page.evaluate(READ_OUTBOX) == []
    page.get_by_text("Risk to others", exact=True).click()
    page.get_by_role("button", name="Log meeting").click()
    expect(page.locator("[data-outbox-status]")).to_have_text(f"{SAVED}. {CONCERN_WAITS}")
    assert len(wait_for_outbox(page, lambda items: len(items) == 1)) == 1
    context.close()
