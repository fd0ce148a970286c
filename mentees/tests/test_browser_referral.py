"""A coordinator, in a real browser, takes a new referral to the waiting list using only
the named next-step buttons (never the generic "Move referral"): a contact attempt, consent,
"Start assessment", readiness, "Ready to match: add to the waiting list", then "Find a
mentor". Meanwhile the waiting list shows the person as not ready yet, with what is
missing. At phone and desktop width; screenshots in var/screenshots/issue12/nextstep-*.png."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.running import DESKTOP, PHONE, log_in

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "issue12"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_referral_to_waiting_list_by_the_named_next_steps(browser, browser_server, world, viewport):
    """Each record lands on the person's page with the next step named in the message and
    offered as the main button, in view; the waiting list says what is missing until the
    person is ready, then lists them; no generic "Move" step is used or offered as the
    main route."""
    width = "phone" if viewport == PHONE else "desktop"
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=viewport)
    log_in(context, browser_server, world.coordinator_a)
    page = context.new_page()

    def shot(step: str) -> None:
        page.screenshot(path=SHOTS / f"nextstep-{step}-{width}.png", full_page=True)

    def next_step(label: str):
        """The main button names the step and is in view when the page opens."""
        section = page.locator("#next-step")
        button = section.get_by_role("link", name=label).or_(
            section.get_by_role("button", name=label)
        )
        expect(button).to_be_visible()
        expect(button).to_be_in_viewport()
        expect(page.get_by_role("link", name="Move referral")).to_have_count(0)
        return button

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
    page.get_by_role("button", name="Take referral").click()
    expect(page.get_by_text("Referral taken. Next: record a contact attempt.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dee Walker")
    shot("1-referred")

    next_step("Record a contact attempt").click()
    page.get_by_label("Channel").select_option("phone")
    page.get_by_label("Outcome").select_option("spoke")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Contact attempt logged. Next: record their consent.")).to_be_visible()

    page.goto(browser_server.url + reverse("mentees:waiting"))
    dee = page.get_by_role("link", name="Dee Walker", exact=True)
    waiting = page.locator(".list-group-item", has=dee)
    expect(waiting).to_contain_text("Still missing: consent not recorded, readiness not assessed")
    expect(waiting).to_contain_text("Next: Record consent")
    shot("2-waiting-list-not-ready")
    waiting.get_by_role("link", name="Record consent for Dee Walker").click()

    next_step("Record consent").click()
    page.get_by_label("Information sheet version").fill("v3")
    page.get_by_label("mentoring is voluntary").check()
    page.get_by_label("what their mentor records").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Consent recorded. Next: start the assessment.")).to_be_visible()
    shot("3-consent-recorded")

    next_step("Start assessment").click()
    expect(page.get_by_text("Assessment started. Next: record their readiness.")).to_be_visible()
    expect(page.get_by_text("Assessing", exact=True).first).to_be_visible()

    next_step("Record readiness").click()
    for question in ["know what mentoring is", "worthwhile now", "stable enough", "lack support"]:
        page.get_by_role("group", name=question).get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text("Readiness recorded. Next: add them to the waiting list.")
    ).to_be_visible()
    shot("4-ready-to-match")

    next_step("Ready to match: add to the waiting list").click()
    expect(page.get_by_text("Added to the waiting list. Next: find them a mentor.")).to_be_visible()
    expect(page.get_by_text("Awaiting a match").first).to_be_visible()
    find = next_step("Find a mentor")
    shot("5-find-a-mentor")
    expect(find).to_have_attribute(
        "href", reverse("relationships:match_suggestions", args=[_mentee_pk(page)])
    )

    page.goto(browser_server.url + reverse("mentees:waiting"))
    ready = page.locator(".list-group-item", has=dee)
    expect(ready).to_have_count(1)
    expect(ready).to_contain_text("HMP Northgate")
    expect(ready).to_contain_text("in 25 days")
    expect(ready.get_by_role("link", name="Find a mentor for Dee Walker")).to_be_visible()
    shot("6-waiting-list-ready")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    context.close()


def _mentee_pk(page) -> int:
    """The person's id, from the address of their page."""
    return int(page.url.rstrip("/").split("/")[-1])
