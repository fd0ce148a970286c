"""A coordinator opens the dashboard, follows a flag to its relationship and acknowledges it
with the action taken; at phone and desktop width. Screenshots go to test-results/screenshots/."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.running import DESKTOP, PHONE, log_in
from flags.models import Action, Flag, Kind
from flags.sweep import sweep
from relationships.models import Party
from relationships.tests.factories import MeetingFactory

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


@pytest.fixture
def driven(world):
    """mentor_a's relationship: the mentor started each of the last eight contacts."""
    mentee = world.mentee_a
    mentee.given_name, mentee.family_name = "Ottilie", "Farraday"
    mentee.save()
    for days in range(2, 18, 2):
        MeetingFactory(
            relationship=world.relationship_a,
            held_at=timezone.now() - datetime.timedelta(days=days),
            initiated_by=Party.MENTOR,
        )
    sweep()
    return world.relationship_a


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_coordinator_follows_a_flag_and_acknowledges_it(
    browser, browser_server, world, driven, size
):
    """On a phone and a desktop, a coordinator sees the dependency flag on the dashboard,
    follows it to the relationship, acknowledges it with 'supervision booked', and the flag
    is recorded as acknowledged by them, with no sideways scrolling."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=PHONE if size == "phone" else DESKTOP, locale="en-GB")
    log_in(context, browser_server, world.coordinator_a)
    page = context.new_page()
    page.goto(browser_server.url + reverse("home:dashboard"))
    expect(page.get_by_role("heading", name="Flags to look at")).to_be_visible()
    dependency_tile = page.locator(".health-dependency")
    expect(dependency_tile).to_contain_text("1")
    page.screenshot(path=SHOTS / f"flags-1-dashboard-{size}.png", full_page=True)

    flag = page.locator(".list-group-item", has_text="Mentor driving")
    expect(flag).to_contain_text("The mentor initiated 8 of the last 8 contacts")
    flag.get_by_role("link", name="Ottilie Farraday with").click()
    expect(page.get_by_role("heading", name="Ottilie Farraday")).to_be_visible()
    on_page = page.locator("#flags-h + .list-group .list-group-item", has_text="Mentor driving")
    expect(on_page).to_be_visible()
    on_page.get_by_role("button", name="Acknowledge…").click()
    on_page.get_by_role("button", name="Supervision booked").click()
    expect(page.get_by_text("Flag acknowledged.")).to_be_visible()
    expect(page.locator("#flags-h + .list-group")).to_contain_text(
        "Supervision booked with the mentor"
    )
    page.screenshot(path=SHOTS / f"flags-2-acknowledged-{size}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    acknowledged = Flag.objects.get(relationship=driven, kind=Kind.MENTOR_DRIVING)
    assert acknowledged.status == Flag.Status.ACKNOWLEDGED
    assert acknowledged.action == Action.SUPERVISION_BOOKED
    assert acknowledged.acknowledged_by == world.coordinator_a
    context.close()
