""" "Your sessions" in a real browser on a 390 px phone: signed in on a laptop and a phone,
the person sees both, in words they recognise, and signs out everywhere else with one tap."""

import re
import time
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, expect

from accounts.models import User
from accounts.tests.factories import TEST_PASSWORD
from accounts.tests.second_factor_helpers import app_code, enrolled
from core.tests.running import DESKTOP, PHONE
from core.tests.test_browser_accessibility import SIDEWAYS, axe_check, describe

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "issue15"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
LAPTOP = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def _fresh_code(device) -> str:
    """The app's code for now, or for the next step when this step's code was used already
    (django-otp refuses a code twice): typed as soon as it is made, so a slow machine
    cannot let it age past the server's tolerance."""
    device.refresh_from_db()
    now = int((time.time() - device.t0) // device.step)
    return app_code(device, steps_ahead=max(now, device.last_t + 1) - now)


def _signed_in(
    browser: Browser, server, user: User, viewport, agent: str, device
) -> BrowserContext:
    """A browser that logged in through the login form and the code step, as a person does."""
    context = browser.new_context(viewport=viewport, locale="en-GB", user_agent=agent)
    page = context.new_page()
    page.goto(server.url + reverse("login"))
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("second_factor:verify"))))
    page.get_by_label("Code").fill(_fresh_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(page).not_to_have_url(re.compile(re.escape(reverse("second_factor:verify"))))
    page.close()
    return context


def test_on_a_phone_the_person_sees_their_sessions_and_signs_out_everywhere_else(
    browser, browser_server, world
):
    """The phone lists itself ("Safari on iPhone", this device) and the laptop ("Chrome on
    Windows"); the page fits 390 px, its button is a full tap target and axe-core finds no
    WCAG A or AA problem; one tap signs the laptop out, which is next sent to log in."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    user = world.coordinator_a
    device, _ = enrolled(user)
    # django-otp refuses a code used once, so the phone types the app's next code.
    laptop = _signed_in(browser, browser_server, user, DESKTOP, LAPTOP, device)
    phone = _signed_in(browser, browser_server, user, PHONE, IPHONE, device)
    phone.add_init_script(script=AXE_SCRIPT)
    page = phone.new_page()

    page.goto(browser_server.url + reverse("sessions"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Your sessions")
    rows = page.locator(".sessions-list .list-group-item")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Safari on iPhone")
    expect(rows.first).to_contain_text("This device")
    expect(rows.nth(1)).to_contain_text("Chrome on Windows")
    button = page.get_by_role("button", name="Sign out everywhere else")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44
    assert page.evaluate(SIDEWAYS) <= 0
    findings: dict = {}
    axe_check(page, reverse("sessions"), "390 px", findings)
    assert not findings, describe(findings)
    page.screenshot(path=SHOTS / "sessions-390.png", full_page=True)

    button.click()

    expect(
        page.get_by_text("You have been signed out everywhere else (1 session).")
    ).to_be_visible()
    expect(rows).to_have_count(1)
    expect(page.get_by_text("You are not signed in anywhere else.")).to_be_visible()
    page.screenshot(path=SHOTS / "sessions-signed-out-others-390.png", full_page=True)
    other = laptop.new_page()
    other.goto(browser_server.url + reverse("home:dashboard"))
    expect(other).to_have_url(re.compile("^" + re.escape(browser_server.url + reverse("login"))))
    laptop.close()
    phone.close()
