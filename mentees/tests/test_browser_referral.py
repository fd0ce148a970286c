"""A coordinator, in a real browser, takes a referral, records consent and readiness, and
the person appears on the waiting list. Screenshots of each step go to
test-results/screenshots/ at phone and desktop width."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.running import DESKTOP, PHONE, log_in

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_referral_to_waiting_list(browser, browser_server, world, viewport):
    width = "phone" if viewport == PHONE else "desktop"
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=viewport)
    log_in(context, browser_server, world.coordinator_a)
    page = context.new_page()

    def shot(step: str) -> None:
        page.screenshot(path=SHOTS / f"referral-{step}-{width}.png", full_page=True)

    page.goto(browser_server.url + reverse("mentees:list"))
    page.get_by_role("link", name="New referral").click()
    page.get_by_label("Given name").fill("Dee")
    page.get_by_label("Family name").fill("Walker")
    page.get_by_label("Situation").select_option("in_custody")
    page.get_by_label("Prison (if in custody)").fill("HMP Northgate")
    release = timezone.localdate() + datetime.timedelta(days=25)
    page.get_by_label("Expected release on").fill(release.isoformat())
    page.get_by_label("Source").select_option("prison")
    page.get_by_label("Reason").fill("Release in under a month, no family contact.")
    shot("1-form")
    page.get_by_role("button", name="Take referral").click()
    expect(page.get_by_text("Referral taken")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dee Walker")

    page.get_by_role("link", name="Move referral").click()
    page.get_by_label("Move to").select_option("assessing")
    page.get_by_role("button", name="Save").click()

    page.get_by_role("link", name="Record consent").click()
    page.get_by_label("Information sheet version").fill("v3")
    page.get_by_label("mentoring is voluntary").check()
    page.get_by_label("what their mentor records").check()
    shot("2-consent")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Consent recorded", exact=True).first).to_be_visible()

    page.get_by_role("link", name="Record readiness").click()
    for question in ["know what mentoring is", "worthwhile now", "stable enough", "lack support"]:
        page.get_by_role("group", name=question).get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()

    page.get_by_role("link", name="Move referral").click()
    page.get_by_label("Move to").select_option("awaiting_match")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Awaiting a match").first).to_be_visible()
    shot("3-record")

    page.goto(browser_server.url + reverse("mentees:waiting"))
    row = page.locator(".list-group-item", has=page.get_by_role("link", name="Dee Walker"))
    expect(row).to_be_visible()
    expect(row).to_contain_text("HMP Northgate")
    expect(row).to_contain_text("in 25 days")
    shot("4-waiting-list")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    context.close()
