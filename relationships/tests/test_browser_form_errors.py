"""On a phone, a meeting form sent with mistakes comes back with the error summary focused
(a screen reader reads it first), "Error:" at the start of the title, and every mistake at
once, the 2031 date among them; a link in the summary takes the mentor to the question."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.tests.running import PHONE, log_in
from relationships.models import Meeting

pytestmark = pytest.mark.browser


def test_a_meeting_sent_with_mistakes_focuses_the_summary(browser, browser_server, world):
    """The first submit lists the future date with the unanswered questions; focus is on the
    summary; its link to "Did you meet?" lands on the first of its buttons."""
    relationship = world.relationship_a
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    log_in(context, browser_server, world.mentor_a)
    page = context.new_page()
    page.goto(browser_server.url + reverse("relationships:meeting_new", args=[relationship.pk]))
    page.get_by_label("When").fill("2031-03-04T10:00")
    page.get_by_role("button", name="Log meeting").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    assert page.title().startswith("Error: ")
    for message in (
        "The meeting cannot be in the future",
        "Select whether you met",
        "Select how you met, or were due to",
        "How long was it? Choose one, or type the minutes",
        "Select who got in touch first",
        "Select what the meeting was for",
    ):
        expect(summary.get_by_role("link", name=message)).to_be_visible()

    summary.get_by_role("link", name="Select whether you met").click()
    expect(page.locator("#id_outcome_0")).to_be_focused()
    legend = page.get_by_text("Did you meet?", exact=True)
    assert legend.bounding_box()["y"] >= 0, "the question is on screen, above its buttons"
    assert not Meeting.objects.filter(relationship=relationship).exists()
    context.close()
