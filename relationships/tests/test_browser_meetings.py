"""A mentor, on a 390x844 phone, logs a meeting from their home with two goals touched and
sees it on the timeline; the same form sent twice at once is still one meeting. Screenshots
of the home, the form and the timeline at phone and desktop width go to
test-results/screenshots/."""

import datetime
import time
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.running import DESKTOP, PHONE, log_in
from relationships.models import Meeting, Party
from relationships.tests.factories import GoalFactory, MeetingFactory, StepFactory

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


@pytest.fixture
def relationship(world):
    mentee = world.mentee_a
    mentee.given_name, mentee.family_name = "Dorian", "Quillfeather"
    mentee.save()
    rel = world.relationship_a
    rel.next_review_on = timezone.localdate() + datetime.timedelta(days=12)
    rel.save()
    housing = GoalFactory(relationship=rel, title="Somewhere settled to live")
    GoalFactory(relationship=rel, title="Back into work", domain="employment")
    StepFactory(
        goal=housing,
        description="Fill in the housing form together",
        owner=Party.TOGETHER,
        due_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    MeetingFactory(
        relationship=rel,
        held_at=timezone.now() - datetime.timedelta(days=6),
        note_shared="Met at the library; talked about the housing list.",
    )
    return rel


def test_a_mentor_logs_a_meeting_on_a_phone_and_a_double_submit_is_one_meeting(
    browser, browser_server, world, relationship
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    log_in(context, browser_server, world.mentor_a)
    page = context.new_page()
    page.goto(browser_server.url + reverse("relationships:my_mentees"))
    card = page.get_by_role("article", name="Dorian Quillfeather")
    expect(card).to_contain_text("Fill in the housing form together")
    page.screenshot(path=SHOTS / "meetings-1-home-phone.png", full_page=True)

    started = time.monotonic()
    card.get_by_role("link", name="Log a meeting").click()
    expect(page.get_by_role("heading", name="Log a meeting")).to_be_visible()
    page.get_by_text("Yes, we met", exact=True).click()
    page.get_by_text("Face to face", exact=True).click()
    page.get_by_text("45 min", exact=True).click()
    page.get_by_role("group", name="Who got in touch first?").get_by_text("Dorian").click()
    page.get_by_text("Working on goals", exact=True).click()
    page.get_by_text("Somewhere settled to live", exact=True).click()
    page.get_by_text("Back into work", exact=True).click()
    page.get_by_label("Notes for your coordinator").fill("Housing form done; CV next week.")
    form_shown = time.monotonic()
    page.get_by_role("button", name="Log meeting").click()
    expect(page.get_by_text("Meeting logged.")).to_be_visible()
    newest = page.locator("#meetings article").first
    expect(newest).to_contain_text("Somewhere settled to live")
    expect(newest).to_contain_text("Back into work")
    expect(newest).to_contain_text("Face to face · 45 min · started by the mentee")
    elapsed = time.monotonic() - started
    print(
        f"\nLogging a meeting at 390x844: {elapsed:.1f} s from opening the form to the "
        f"timeline ({form_shown - started:.1f} s filling it in, by script)."
    )
    page.screenshot(path=SHOTS / "meetings-3-timeline-phone.png", full_page=True)
    meeting = Meeting.objects.get(relationship=relationship, duration_minutes=45)
    assert {g.title for g in meeting.goals.all()} == {"Somewhere settled to live", "Back into work"}

    # The same form sent twice at the same moment (a flaky network retrying), then tapped
    # once more: one meeting.
    page.goto(browser_server.url + reverse("relationships:meeting_new", args=[relationship.pk]))
    page.get_by_text("Yes, we met", exact=True).click()
    page.get_by_text("Phone", exact=True).click()
    page.get_by_text("15 min", exact=True).click()
    page.get_by_role("group", name="Who got in touch first?").get_by_text("Me", exact=True).click()
    page.get_by_text("Social, a catch-up", exact=True).click()
    page.get_by_label("Concern (safeguarding or risk)").fill("Mentioned threats at the hostel.")
    page.get_by_text("Safeguarding the mentee", exact=True).click()
    page.get_by_text("Urgent: needs action today", exact=True).click()
    page.screenshot(path=SHOTS / "meetings-2-form-phone.png", full_page=True)
    client_id = page.locator("input[name=client_id]").input_value()
    statuses = page.evaluate(
        """async () => {
            const form = document.querySelector("form[data-submit-once]");
            const send = () => fetch(location.href, {method: "POST", body: new FormData(form)});
            const responses = await Promise.all([send(), send()]);
            return responses.map((r) => r.status);
        }"""
    )
    assert statuses == [200, 200]  # both followed the redirect to the timeline
    page.get_by_role("button", name="Log meeting").click()
    expect(page.get_by_text("Your concern has gone to the coordinator.")).to_be_visible()
    assert Meeting.objects.filter(client_id=client_id).count() == 1
    assert Meeting.objects.filter(relationship=relationship).count() == 3
    assert world.coordinator_a.notifications.count() == 1
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    context.close()

    desktop = browser.new_context(viewport=DESKTOP, locale="en-GB")
    log_in(desktop, browser_server, world.mentor_a)
    page = desktop.new_page()
    page.goto(browser_server.url + reverse("relationships:my_mentees"))
    page.screenshot(path=SHOTS / "meetings-1-home-desktop.png", full_page=True)
    page.goto(browser_server.url + reverse("relationships:meeting_new", args=[relationship.pk]))
    page.screenshot(path=SHOTS / "meetings-2-form-desktop.png", full_page=True)
    page.goto(browser_server.url + reverse("relationships:detail", args=[relationship.pk]))
    page.screenshot(path=SHOTS / "meetings-3-timeline-desktop.png", full_page=True)
    desktop.close()

    coordinator = browser.new_context(viewport=PHONE)
    log_in(coordinator, browser_server, world.coordinator_a)
    page = coordinator.new_page()
    page.goto(browser_server.url + reverse("core:notifications"))
    # Marked urgent by the mentor, so urgent in the coordinator's inbox.
    expect(page.get_by_text("Urgent", exact=True)).to_be_visible()
    page.screenshot(path=SHOTS / "meetings-4-notifications-phone.png", full_page=True)
    coordinator.close()
