"""A manager, in a real browser at phone width (390 px), reads a scheme's page with its
retention and sign-in settings, and its edit form with their hints. Screenshots go to
var/screenshots/issue15/."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.tests.running import PHONE, log_in
from schemes.models import Scheme

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "issue15"


def test_the_scheme_page_and_form_show_the_security_settings_at_phone_width(
    browser, browser_server, world
):
    """The scheme's page lists how long records and private notes are kept and how mentors
    sign in; the form explains each as a choice with its consequence. Nothing scrolls
    sideways at 390 px."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    Scheme.objects.filter(pk=world.scheme_a.pk).update(second_factor_for_mentors=True)
    context = browser.new_context(viewport=PHONE)
    log_in(context, browser_server, world.manager)
    page = context.new_page()

    def check_page(name: str) -> None:
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"
        page.screenshot(path=SHOTS / f"scheme-{name}-phone.png", full_page=True)

    page.goto(browser_server.url + reverse("schemes:detail", args=[world.scheme_a.pk]))
    expect(page.get_by_text("Keeping records and logging in")).to_be_visible()
    expect(
        page.get_by_text("Mentors sign in with a code from an authenticator app")
    ).to_be_visible()
    check_page("detail")
    page.get_by_role("link", name="Edit details and rules").click()
    expect(page.get_by_text("Tick to make mentors of this scheme sign in")).to_be_visible()
    page.get_by_text("Tick to make mentors of this scheme sign in").scroll_into_view_if_needed()
    check_page("form")
