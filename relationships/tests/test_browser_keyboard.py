"""A mentor who cannot use a pointer logs a meeting with the keyboard alone: Tab, Space, Enter
and the arrow keys, from the top of the page, with the focus visible on every choice."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from core.tests.running import PHONE, log_in
from relationships.models import Meeting, Party
from relationships.tests.factories import GoalFactory

pytestmark = pytest.mark.browser

FOCUSED_NAME = "document.activeElement && document.activeElement.name"


def tab_to(page: Page, name: str, presses: int = 40) -> None:
    """Press Tab until the control named ``name`` has the focus."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_NAME) == name:
            return
    raise AssertionError(f"{presses} presses of Tab never reached {name!r}")


def checked(page: Page, name: str) -> list[str]:
    return page.locator(f"input[name={name}]:checked").evaluate_all(
        "(els) => els.map(e => e.value)"
    )


def focus_is_drawn(page: Page) -> bool:
    """The focused choice's button (its label) shows Bootstrap's focus ring."""
    return page.evaluate(
        """() => {
            const label = document.querySelector(`label[for="${document.activeElement.id}"]`);
            return getComputedStyle(label).boxShadow !== "none";
        }"""
    )


def test_a_mentor_logs_a_meeting_with_the_keyboard_alone(browser, browser_server, world):
    """From the page's start, Tab reaches the skip link and each group of choices in order;
    Space and the arrow keys choose an answer in each (the focus drawn on the chip); Enter on
    "Log meeting" sends it, and the meeting is saved with exactly those answers."""
    relationship = world.relationship_a
    goal = GoalFactory(relationship=relationship, title="Somewhere settled to live")
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    log_in(context, browser_server, world.mentor_a)
    page = context.new_page()
    page.goto(browser_server.url + reverse("relationships:meeting_new", args=[relationship.pk]))

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")

    tab_to(page, "outcome")  # "Yes, we met" is chosen already; the arrows change it and back
    page.keyboard.press("ArrowRight")
    assert checked(page, "outcome") == [Meeting.Outcome.DID_NOT_ATTEND]
    page.keyboard.press("ArrowLeft")
    assert checked(page, "outcome") == [Meeting.Outcome.MET]

    tab_to(page, "mode")  # none chosen: the focus is on the first, "Face to face"
    page.keyboard.press("Space")
    assert focus_is_drawn(page)
    tab_to(page, "duration")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert checked(page, "duration") == ["45"]
    tab_to(page, "initiated_by")
    page.keyboard.press("Space")
    tab_to(page, "purpose")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert checked(page, "purpose") == [Meeting.Purpose.GOALS]
    tab_to(page, "goals")
    page.keyboard.press("Space")
    assert focus_is_drawn(page)

    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Log meeting":
            break
    expect(page.get_by_role("button", name="Log meeting")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Meeting logged.")).to_be_visible()
    meeting = Meeting.objects.get(relationship=relationship)
    assert (meeting.outcome, meeting.mode, meeting.duration_minutes) == (
        Meeting.Outcome.MET,
        Meeting.Mode.FACE_TO_FACE,
        45,
    )
    assert (meeting.initiated_by, meeting.purpose) == (Party.MENTEE, Meeting.Purpose.GOALS)
    assert list(meeting.goals.all()) == [goal]
    context.close()
