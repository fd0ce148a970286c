"""A coordinator, on a phone (390 px), asks the equality questions only as the person
chooses: reads what they are for, sends nothing and is told why, saves "Prefer not to say"
and an ethnic group, then removes every answer when the person asks. The person's mentor
then opens the same person's page and sees nothing of it. Screenshots in
var/screenshots/issue16/equality-*.png."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.tests.running import PHONE, log_in
from mentees.models import Mentee

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "issue16"


def test_equality_questions_on_a_phone_and_the_mentor_sees_none(browser, browser_server, world):
    """Every step is readable at 390 px without sideways scrolling, each choice a tap target
    of 44 px or more; the answers are saved, then removed; the mentor's page has none."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=PHONE)
    log_in(context, browser_server, world.coordinator_a)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())

    def shot(step: str) -> None:
        page.screenshot(path=SHOTS / f"equality-{step}-phone.png", full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{step}: the page scrolls sideways ({width} px)"

    page.goto(browser_server.url + reverse("mentees:detail", args=[world.mentee_a.pk]))
    card = page.locator("#equality")
    expect(card).to_contain_text("Not asked.")
    card.get_by_role("link", name="Ask the equality questions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Equality monitoring (optional)")
    expect(page.locator("#equality-purpose")).to_contain_text("never used for matching")
    shot("1-questions")

    page.get_by_role("button", name="Save their answers").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("Choose an answer")
    assert page.title().startswith("Error: ")
    shot("2-nothing-chosen")

    gender = page.get_by_role("group", name="How would they describe their gender?")
    gender.get_by_label("Prefer not to say").check()
    page.get_by_label("Roma").check()
    box = page.get_by_label("Roma").locator("xpath=..").bounding_box()
    assert box is not None and box["height"] >= 44
    shot("3-answered")
    page.get_by_role("button", name="Save their answers").click()
    expect(page.get_by_text("Equality answers saved.")).to_be_visible()
    expect(page.locator("#equality")).to_contain_text("Answered on")
    mentee = Mentee.objects.get(pk=world.mentee_a.pk)
    assert (mentee.gender, mentee.ethnicity, mentee.disability) == ("not_said", "white_roma", "")

    mentor = browser.new_context(viewport=PHONE)
    log_in(mentor, browser_server, world.mentor_a)
    theirs = mentor.new_page()
    theirs.goto(browser_server.url + reverse("mentees:detail", args=[world.mentee_a.pk]))
    expect(theirs.get_by_role("heading", level=1)).to_be_visible()
    expect(theirs.locator("body")).not_to_contain_text("Equality")
    expect(theirs.locator("body")).not_to_contain_text("Roma")
    theirs.screenshot(path=SHOTS / "equality-5-mentor-sees-none-phone.png", full_page=True)
    mentor.close()

    page.locator("#equality").get_by_role("link", name="See or change their answers").click()
    expect(page.get_by_label("Roma")).to_be_checked()
    page.get_by_role("button", name="Remove all their answers").click()
    expect(page.get_by_text("Their equality answers have been removed.")).to_be_visible()
    expect(page.locator("#equality")).to_contain_text("Not asked.")
    shot("4-removed")
    mentee.refresh_from_db()
    assert (mentee.gender, mentee.ethnicity, mentee.equality_answered_on) == ("", "", None)
    context.close()
