"""Offers in a real browser: a coordinator offers a match from the suggestions; the mentor,
on a phone, accepts one offer and declines another with a reason; the declined person is
back on the waiting list in their place, and the mentor who said no is not suggested again.
Screenshots go to var/screenshots/issue12/offers-*.png."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Role
from accounts.tests.factories import MembershipFactory
from core.models import Notification
from core.tests.running import DESKTOP, PHONE, log_in
from relationships.matching.offer_services import offer_make
from relationships.models import MatchOffer, Relationship
from relationships.tests.offer_kit import waiting_person
from schemes.tests.factories import MentorFactory

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "issue12"


def no_sideways_scroll(page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def tap_height(locator) -> float:
    box = locator.bounding_box()
    assert box is not None
    return box["height"]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_offer_is_made_accepted_and_declined(browser, browser_server, world, viewport):
    """The coordinator (at ``viewport``) offers Dee to Sam; Sam, on a phone, accepts Dee and
    declines Kit (offered too); Kit is back on the waiting list between Ash and Jo."""
    width = "phone" if viewport == PHONE else "desktop"
    SHOTS.mkdir(parents=True, exist_ok=True)
    scheme = world.scheme_a
    sam = MentorFactory(
        scheme=scheme,
        user=MembershipFactory(role=Role.MENTOR, scheme=scheme).user,
        active=True,
        given_name="Sam",
        family_name="Peerson",
        home_area="LS6",
        capacity=3,
    )
    waiting_person(scheme, waiting_days=40, given_name="Ash", family_name="Longwait")
    dee = waiting_person(
        scheme, waiting_days=20, given_name="Dee", family_name="Walkerton", home_area="LS6"
    )
    kit = waiting_person(
        scheme, waiting_days=10, given_name="Kit", family_name="Marlowe", needs=["ete"]
    )
    waiting_person(scheme, waiting_days=2, given_name="Jo", family_name="Newcombe")
    offer_make(by=world.coordinator_a, mentee=kit, mentor=sam, first_meeting="phone_first")

    # The coordinator offers Dee to Sam from the suggestions.
    context = browser.new_context(viewport=viewport)
    log_in(context, browser_server, world.coordinator_a)
    page = context.new_page()
    page.goto(browser_server.url + reverse("mentees:waiting"))
    expect(page.get_by_text("Offer sent to Sam Peerson, answer due")).to_be_visible()
    page.screenshot(path=SHOTS / f"offers-0-waiting-list-with-offer-{width}.png", full_page=True)
    page.get_by_role("link", name="Find a mentor for Dee Walkerton").click()
    card = page.locator("li.suggestion", has_text="Sam Peerson")
    card.get_by_role("link", name="Offer to Sam").click()
    page.get_by_label("Face to face in the community").check()
    page.get_by_label("Arrangements for the first meeting").fill("Library café, Tuesday 2pm.")
    page.get_by_role("button", name="Send the offer").click()
    expect(page.get_by_text("Offer sent to Sam Peerson. They have been told")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Offer of Dee Walkerton to Sam Peerson"
    )
    no_sideways_scroll(page)
    page.screenshot(path=SHOTS / f"offers-1-coordinator-sent-{width}.png", full_page=True)
    assert not Relationship.objects.filter(mentee=dee).exists()

    # Sam, on a phone, sees both offers at home, accepts Dee and declines Kit.
    phone_context = browser.new_context(viewport=PHONE)
    log_in(phone_context, browser_server, sam.user)
    phone = phone_context.new_page()
    phone.goto(browser_server.url + reverse("relationships:my_mentees"))
    expect(phone.locator(".offer-card")).to_have_count(2)
    phone.screenshot(path=SHOTS / "offers-2-mentor-home-phone.png", full_page=True)
    phone.get_by_role("link", name="See the offer to mentor Dee").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Will you mentor Dee?")
    expect(phone.locator("#offer-facts")).to_contain_text("LS6")
    expect(phone.locator("#offer-facts")).to_contain_text("Library café, Tuesday 2pm.")
    expect(phone.get_by_text("Walkerton")).to_have_count(0)
    accept = phone.get_by_role("button", name="Accept: I'll mentor Dee")
    decline = phone.get_by_role("link", name="Decline")
    assert tap_height(accept) >= 44 and tap_height(decline) >= 44
    no_sideways_scroll(phone)
    phone.screenshot(path=SHOTS / "offers-3-mentor-offer-phone.png", full_page=True)
    accept.click()
    expect(phone.get_by_text("You are matched with Dee")).to_be_visible()
    assert Relationship.objects.get(mentee=dee).mentor == sam

    phone.goto(browser_server.url + reverse("relationships:my_mentees"))
    phone.get_by_role("link", name="See the offer to mentor Kit").click()
    phone.get_by_role("link", name="Decline").click()
    phone.get_by_role("button", name="Decline the offer").click()
    expect(phone.get_by_text("Select why you are declining").first).to_be_visible()
    phone.get_by_label("Not a good fit for me").check()
    no_sideways_scroll(phone)
    phone.screenshot(path=SHOTS / "offers-4-mentor-decline-phone.png", full_page=True)
    phone.get_by_role("button", name="Decline the offer").click()
    expect(phone.get_by_text("Thank you for letting us know")).to_be_visible()
    expect(phone.locator(".offer-card")).to_have_count(0)
    phone_context.close()
    assert MatchOffer.objects.get(mentee=kit).decline_reason == "not_a_fit"

    # Kit waits again in their place; Sam is not suggested for Kit.
    page.goto(browser_server.url + reverse("mentees:waiting"))
    names = page.locator(
        "[aria-labelledby=ready-h] .list-group-item a.fw-semibold"
    ).all_inner_texts()
    assert names == ["Ash Longwait", "Kit Marlowe", "Jo Newcombe"]
    expect(page.get_by_text("Offer sent to")).to_have_count(0)
    no_sideways_scroll(page)
    page.screenshot(path=SHOTS / f"offers-5-waiting-list-{width}.png", full_page=True)
    page.get_by_role("link", name="Find a mentor for Kit Marlowe").click()
    expect(page.locator("li.suggestion", has_text="Sam Peerson")).to_have_count(0)
    page.locator("#excluded summary").click()
    expect(page.locator("#excluded")).to_contain_text("Declined the offer of Kit on")
    page.screenshot(path=SHOTS / f"offers-6-suggestions-after-decline-{width}.png", full_page=True)

    # Asking Sam again about Kit takes a tick on purpose.
    page.locator("#excluded").get_by_role("link", name="Ask Sam again").click()
    ask_again = page.get_by_label("Ask Sam Peerson again, knowing they declined")
    expect(ask_again).not_to_be_checked()
    page.get_by_label("Face to face in the community").check()
    page.get_by_role("button", name="Send the offer").click()
    expect(page.locator(".error-summary")).to_contain_text("Sam Peerson declined the offer of Kit")
    no_sideways_scroll(page)
    page.screenshot(path=SHOTS / f"offers-7-ask-again-{width}.png", full_page=True)
    page.get_by_label("Ask Sam Peerson again, knowing they declined").check()
    page.get_by_role("button", name="Send the offer").click()
    expect(page.get_by_text("Offer sent to Sam Peerson.")).to_be_visible()
    assert MatchOffer.objects.filter(mentee=kit, status=MatchOffer.Status.PENDING).exists()
    context.close()


def test_a_double_tap_on_accept_ends_on_the_match(browser, browser_server, world):
    """On a phone, the mentor double-taps "Accept": the page lands on the new match with
    thanks, not on an error, and the coordinators are told once."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    mentee = waiting_person(world.scheme_a, given_name="Dee", family_name="Walkerton")
    made = offer_make(
        by=world.coordinator_a,
        mentee=mentee,
        mentor=world.mentor_file_a,
        first_meeting="face_to_face",
    )
    context = browser.new_context(viewport=PHONE)
    log_in(context, browser_server, world.mentor_a)
    phone = context.new_page()
    phone.goto(browser_server.url + reverse("relationships:offer_detail", args=[made.pk]))
    phone.get_by_role("button", name="Accept: I'll mentor Dee").dblclick()
    expect(phone.get_by_text("You are matched with Dee")).to_be_visible()
    expect(phone.get_by_text("There is a problem")).to_have_count(0)
    phone.screenshot(path=SHOTS / "offers-8-double-tap-accept-phone.png", full_page=True)
    context.close()
    assert Relationship.objects.filter(mentee=mentee).count() == 1
    assert (
        Notification.objects.filter(
            recipient=world.coordinator_a, subject__contains="accepted"
        ).count()
        == 1
    )
