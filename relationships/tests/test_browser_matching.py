"""A coordinator, in a real browser, opens suggestions for a waiting mentee in custody, reads
why each mentor is ranked or not offered, offers the match; the mentor accepts it on their
phone, and the relationship page is there.
Screenshots go to test-results/screenshots/ at phone and desktop width."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Role
from accounts.tests.factories import MembershipFactory
from core.models import Notification
from core.tests.running import DESKTOP, PHONE, log_in
from mentees.models import Referral, RestrictionKind, Situation
from mentees.tests.factories import (
    ConsentFactory,
    MenteeFactory,
    ReferralFactory,
    RestrictionFactory,
)
from relationships.models import Relationship
from schemes.models import AvailabilitySlot
from schemes.tests.factories import (
    AvailabilitySlotFactory,
    MentorFactory,
    PrisonClearanceFactory,
    days_ago,
    days_ahead,
)

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_coordinator_matches_from_the_waiting_list(browser, browser_server, world, viewport):
    width = "phone" if viewport == PHONE else "desktop"
    SHOTS.mkdir(parents=True, exist_ok=True)
    scheme = world.scheme_a
    mentee = MenteeFactory(
        scheme=scheme,
        given_name="Dee",
        family_name="Walkerton",
        situation=Situation.IN_CUSTODY,
        establishment="HMP Northgate",
        expected_release_on=days_ahead(20),
        home_area="LS6 2AB",
        availability=["1:evening", "3:evening"],
        interests=["football", "cooking"],
        wants_peer_mentor=True,
    )
    ConsentFactory(mentee=mentee)
    ReferralFactory(
        mentee=mentee, status=Referral.Status.AWAITING_MATCH, status_changed_on=days_ago(4)
    )
    RestrictionFactory(
        mentee=mentee,
        kind=RestrictionKind.NO_FEMALE_MENTOR,
        instruction="Male mentor only.",
        recorded_by=world.coordinator_a,
    )
    best = MentorFactory(
        scheme=scheme,
        user=MembershipFactory(role=Role.MENTOR, scheme=scheme).user,
        active=True,
        given_name="Sam",
        family_name="Peerson",
        kind="peer",
        home_area="LS6",
        travel_km=15,
        interests=["Football"],
        gender_self_description="man",
    )
    PrisonClearanceFactory(mentor=best, establishment="HMP Northgate")
    for day in (1, 3):
        AvailabilitySlotFactory(mentor=best, weekday=day, part=AvailabilitySlot.Part.EVENING)
    second = MentorFactory(
        scheme=scheme,
        active=True,
        given_name="Lee",
        family_name="Volunteerly",
        home_area="LS11",
        gender_self_description="male",
    )
    PrisonClearanceFactory(mentor=second, establishment="HMP Northgate")
    barred = MentorFactory(
        scheme=scheme,
        active=True,
        given_name="Kim",
        family_name="Herself",
        gender_self_description="woman",
    )
    PrisonClearanceFactory(mentor=barred, establishment="HMP Northgate")

    context = browser.new_context(viewport=viewport)
    log_in(context, browser_server, world.coordinator_a)
    page = context.new_page()

    def shot(step: str) -> None:
        page.screenshot(path=SHOTS / f"matching-{step}-{width}.png", full_page=True)

    def no_sideways_scroll() -> None:
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0

    page.goto(browser_server.url + reverse("mentees:waiting"))
    page.get_by_role("link", name="Find a mentor for Dee Walkerton").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a mentor for Dee Walkerton")
    expect(page.get_by_text("Only mentors cleared for that prison are suggested")).to_be_visible()

    cards = page.locator("li.suggestion")
    expect(cards).to_have_count(2)  # the world's mentors are not cleared for the prison
    first = cards.nth(0)
    expect(first).to_contain_text("Sam Peerson")
    expect(first).to_contain_text("Both live in LS6. They can travel up to 15 km.")
    expect(first).to_contain_text("Both free 2 times a week: Tuesday evening, Thursday evening.")
    expect(first).to_contain_text("A peer mentor with lived experience, as the mentee asked.")
    expect(first).to_contain_text("Ranked above Lee Volunteerly")
    no_sideways_scroll()
    shot("1-suggestions")

    excluded = page.locator("#excluded")
    expect(excluded.get_by_text("Kim Herself")).to_be_hidden()  # collapsed until asked
    excluded.locator("summary").click()
    expect(excluded).to_contain_text("Kim Herself")
    expect(excluded).to_contain_text("Safety restriction: not with a female mentor.")
    shot("2-not-offered")

    first.get_by_role("link", name="Offer to Sam").click()
    expect(page.get_by_text("a visit in custody is recommended")).to_be_visible()
    recommended = page.get_by_label("A visit in custody, before release (recommended)")
    expect(recommended).not_to_be_checked()  # recommended first, but the coordinator chooses
    recommended.check()
    page.get_by_label("Arrangements for the first meeting").fill("Legal visit booked Thursday.")
    no_sideways_scroll()
    shot("3-confirm")
    page.get_by_role("button", name="Send the offer").click()

    # The match is offered to Sam, who is told; it exists once Sam accepts.
    expect(page.get_by_text("Offer sent to Sam Peerson. They have been told")).to_be_visible()
    assert Notification.objects.filter(recipient=best.user).count() == 1
    mentor_context = browser.new_context(viewport=PHONE)
    log_in(mentor_context, browser_server, best.user)
    phone = mentor_context.new_page()
    phone.goto(browser_server.url + reverse("relationships:my_mentees"))
    phone.get_by_role("link", name="See the offer to mentor Dee").click()
    phone.get_by_role("button", name="Accept: I'll mentor Dee").click()
    expect(phone.get_by_text("You are matched with Dee")).to_be_visible()
    mentor_context.close()
    relationship = Relationship.objects.get(mentee=mentee)
    page.goto(browser_server.url + reverse("relationships:detail", args=[relationship.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dee Walkerton")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sam Peerson")
    assert "/relationships/" in page.url
    no_sideways_scroll()
    shot("4-relationship")
    context.close()
