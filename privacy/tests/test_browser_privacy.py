"""A manager, in a real browser at phone width (390 px), answers a subject-access request
(draft, read, release, the files offered) and erases a person's record with a reason; the
export's files go with the record.
Screenshots of each page go to var/screenshots/issue15/."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.running import PHONE, log_in
from mentees.models import Mentee
from privacy.tests.people import WORDS, person_with_everything

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "issue15"


def test_subject_access_then_erasure_at_phone_width(browser, browser_server, world):
    """Draft, review and release a person's record; then erase it with a reason. Nothing
    scrolls sideways, and the buttons are big enough to tap."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    person = person_with_everything(
        scheme=world.scheme_a,
        mentor=world.mentor_file_a,
        staff=world.coordinator_a,
        ended_on=timezone.localdate() - datetime.timedelta(days=20),
    )
    context = browser.new_context(viewport=PHONE)
    log_in(context, browser_server, world.manager)
    page = context.new_page()

    def check_page(name: str) -> None:
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"
        for button in page.locator("main button, main a.btn").all():
            if button.is_visible():
                assert button.bounding_box()["height"] >= 44, f"{name}: a small button"
        page.screenshot(path=SHOTS / f"privacy-{name}-phone.png", full_page=True)

    page.goto(browser_server.url + reverse("mentees:detail", args=[person.mentee.pk]))
    page.get_by_role("link", name="Subject access request").click()
    page.get_by_role("button", name="Make a draft of the record").click()
    expect(page.get_by_role("heading", name="Draft: read it before it is released")).to_be_visible()
    expect(page.get_by_text(f"Goal: {WORDS['goal']}")).to_be_visible()
    restrictions = page.locator("#sar-restrictions")
    expect(restrictions.get_by_text("may hold information about other people")).to_be_visible()
    check_page("sar-review-draft")
    page.get_by_role("button", name="I have read it: release the record").click()
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the JSON file").click()
    assert download.value.suggested_filename.endswith(".json")
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Download the PDF").click()
    pdf.value.save_as(SHOTS / "privacy-sar.pdf")  # to look at, with the screenshots
    check_page("sar-released")

    page.goto(browser_server.url + reverse("mentees:detail", args=[person.mentee.pk]))
    page.get_by_role("link", name="Erase the record").click()
    page.get_by_role("button", name="Erase the record").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    check_page("erase-errors")
    page.get_by_role("radio", name="Another reason").check()
    page.get_by_label("Why, in a few words").fill("Asked by letter, reference 2026/14")
    check_page("erase-confirm")
    page.get_by_role("button", name="Erase the record").click()
    expect(page.get_by_role("heading", name="Record anonymised")).to_be_visible()
    check_page("erased-record")
    assert Mentee.objects.get(pk=person.mentee.pk).anonymised_at is not None
    page.goto(browser_server.url + reverse("privacy:access", args=[person.mentee.pk]))
    expect(page.get_by_text("no draft can be made")).to_be_visible()
    expect(page.get_by_text("Files deleted")).to_be_visible()
    check_page("sar-after-erasure")
