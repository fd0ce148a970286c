"""A mentor with no signal, on a 390x844 phone, taps "Log meeting" with questions unanswered
that Tandem would certainly refuse: nothing is kept on the phone (it would only be refused once
back online), and GOV.UK's error summary, in the server's own words, says what to answer.
Online the server alone says. The summary goes to test-results/screenshots/offline-checks-*.png."""

import re

import pytest
from playwright.sync_api import expect

from relationships.models import Meeting
from relationships.tests.offline_kit import (
    READ_OUTBOX,
    SAVED,
    SHOTS,
    fill,
    open_form,
    wait_until_sent,
)

pytestmark = pytest.mark.browser

NO_SIGNAL = (
    "You have no signal: answer these, then tap Log meeting again; it will be kept on this phone"
)


def _summary_links(page) -> list[str]:
    return page.locator("[data-error-summary] a").all_inner_texts()


def test_a_meeting_with_questions_unanswered_offline_is_not_kept_until_answered(
    browser, browser_server, world, rel
):
    """Offline, "Yes, we met" alone is not kept: the error summary lists each unanswered
    question as the server words it (by the question too), says there is no signal, has
    focus and its links go to the question. Answered, the meeting is kept; back online it
    becomes exactly one meeting."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context, page = open_form(browser, browser_server, world.mentor_a, rel)
    context.set_offline(True)
    page.get_by_text("Yes, we met", exact=True).click()
    page.get_by_role("button", name="Log meeting").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary).to_contain_text(NO_SIGNAL)
    assert _summary_links(page) == [
        "Select how you met, or were due to",
        "How long was it? Choose one, or type the minutes",
        "Select who got in touch first",
        "Select what the meeting was for",
    ]
    expect(page).to_have_title(re.compile(r"^Error: Log a meeting"))
    page.screenshot(path=SHOTS / "offline-checks-1-summary-phone.png", full_page=True)
    assert page.evaluate(READ_OUTBOX) == []
    expect(page.locator("[data-outbox-status]")).not_to_have_text(SAVED)
    expect(page.get_by_role("button", name="Log meeting")).to_be_enabled()

    expect(page.locator("#group-initiated_by [data-outbox-problem]")).to_have_text(
        "Error: Select who got in touch first"
    )
    summary.get_by_role("link", name="Select who got in touch first").click()
    expect(page.locator("#id_initiated_by_0")).to_be_focused()

    fill(page)
    page.get_by_role("button", name="Log meeting").click()
    expect(page.locator("[data-outbox-status]")).to_have_text(SAVED)
    expect(summary).to_have_count(0)
    expect(page.locator("[data-outbox-problem]")).to_have_count(0)
    assert [item["state"] for item in page.evaluate(READ_OUTBOX)] == ["waiting"]
    assert not Meeting.objects.exists()

    context.set_offline(False)
    expect(page.locator("[data-outbox-status]")).to_have_text(
        "Sent: the meeting with Dorian is logged."
    )
    wait_until_sent(page)
    assert Meeting.objects.filter(relationship=rel).count() == 1
    context.close()


def test_offline_the_time_and_the_minutes_are_asked_as_the_server_asks(
    browser, browser_server, world, rel
):
    """Offline, an empty "When" and 0 minutes typed are named in the server's words, then a
    time in 2031; a time now and 90 minutes are kept."""
    context, page = open_form(browser, browser_server, world.mentor_a, rel)
    when = page.get_by_label("When")
    now = when.input_value()
    context.set_offline(True)
    fill(page, minutes="0")
    when.fill("")
    page.get_by_role("button", name="Log meeting").click()
    assert _summary_links(page) == [
        "Enter when the meeting was, or was due",
        "Type the minutes as a number from 1 to 1440 (a whole day)",
    ]
    when.fill("2031-06-01T10:00")
    page.get_by_placeholder("other").fill("90")
    page.get_by_role("button", name="Log meeting").click()
    assert _summary_links(page) == ["The meeting cannot be in the future"]
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert page.evaluate(READ_OUTBOX) == []

    when.fill(now)
    page.get_by_role("button", name="Log meeting").click()
    expect(page.locator("[data-outbox-status]")).to_have_text(SAVED)
    expect(page.locator("[data-error-summary]")).to_have_count(0)
    assert len(page.evaluate(READ_OUTBOX)) == 1
    context.close()


def test_online_the_server_alone_says_what_is_missing(browser, browser_server, world, rel):
    """Online, "Yes, we met" alone is sent to Tandem, which shows its own error summary (with
    no word of signal) and logs nothing."""
    context, page = open_form(browser, browser_server, world.mentor_a, rel)
    posts: list[str] = []
    page.on(
        "request", lambda request: posts.append(request.url) if request.method == "POST" else None
    )
    page.get_by_text("Yes, we met", exact=True).click()
    page.get_by_role("button", name="Log meeting").click()
    page.wait_for_load_state("load")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Select who got in touch first")
    expect(summary).not_to_contain_text("no signal")
    assert len(posts) == 1
    assert not Meeting.objects.exists()
    context.close()
