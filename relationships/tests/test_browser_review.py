"""A coordinator, in a real browser, records a review with scores and then a planned
closure; the chart appears and the mentee's referral ends as completed. Screenshots of each
step go to test-results/screenshots/ at phone and desktop width."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.tests.running import DESKTOP, PHONE, log_in
from mentees.models import NeedDomain, Referral
from relationships.models import GoalScore
from relationships.tests.factories import GoalFactory, ReviewFactory, StepFactory

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_review_then_planned_closure(browser, browser_server, world, viewport):
    width = "phone" if viewport == PHONE else "desktop"
    SHOTS.mkdir(parents=True, exist_ok=True)
    relationship = world.relationship_a
    world.scheme_a.cap_weeks = 6
    world.scheme_a.save()
    housing = GoalFactory(relationship=relationship, title="Get my own flat by the summer")
    work = GoalFactory(
        relationship=relationship, title="Start the forklift course", domain=NeedDomain.ETE
    )
    StepFactory(goal=housing, description="Ring the housing team together")
    earlier = ReviewFactory(relationship=relationship, held_on=relationship.matched_on)
    GoalScore.objects.create(review=earlier, goal=housing, domain=housing.domain, score=3)
    GoalScore.objects.create(review=earlier, goal=work, domain=work.domain, score=2)
    context = browser.new_context(viewport=viewport)
    log_in(context, browser_server, world.coordinator_a)
    page = context.new_page()

    def shot(step: str) -> None:
        page.screenshot(path=SHOTS / f"review-{step}-{width}.png", full_page=True)

    def no_sideways_scroll() -> None:
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0

    page.goto(browser_server.url + reverse("relationships:detail", args=[relationship.pk]))
    page.get_by_role("link", name="Record a review").click()
    page.get_by_label("Get my own flat by the summer").fill("6")
    page.get_by_label("Start the forklift course").fill("4")
    page.get_by_role("group", name="Who the mentee says is driving").get_by_label("Shared").check()
    page.get_by_role("group", name="Who the mentor says is driving").get_by_label(
        "Mentor-led"
    ).check()
    page.get_by_label("How it is going, for the mentee").fill("8")
    page.get_by_label("How it is going, for the mentor").fill("6")
    page.get_by_role("button", name="Save").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Write the plan for ending")).to_be_visible()
    page.get_by_label("The plan for ending").fill("Close at the next review once the flat is ours.")
    shot("1-form")
    no_sideways_scroll()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Review recorded.")).to_be_visible()
    expect(page.get_by_text("Progress by area")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("6")
    expect(page.get_by_text("week 5 of 6")).to_be_visible()
    no_sideways_scroll()
    shot("2-page")

    page.get_by_role("link", name="Close", exact=True).click()
    page.get_by_role("group", name="Was the ending planned?").get_by_label(
        "Planned", exact=True
    ).check()
    page.get_by_label("Reason").select_option("goals_achieved")
    page.get_by_label("Final review").fill("Flat secured; course booked. Ended as agreed.")
    page.get_by_label("Contact after closing").select_option("through_scheme")
    no_sideways_scroll()
    shot("3-close")
    page.get_by_role("button", name="Close relationship").click()
    expect(page.get_by_text("Relationship closed.")).to_be_visible()
    expect(page.get_by_text("planned, goals achieved")).to_be_visible()
    no_sideways_scroll()
    shot("4-closed")

    page.goto(browser_server.url + reverse("mentees:detail", args=[world.mentee_a.pk]))
    expect(page.get_by_text("Ended", exact=True).first).to_be_visible()
    referral = Referral.objects.get(mentee=world.mentee_a)
    assert (referral.status, referral.exit_reason) == ("ended", "completed")
    context.close()
