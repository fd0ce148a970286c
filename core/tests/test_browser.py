"""Real Chromium, real pages: each role logs in and lands on its home, at phone and desktop
width. (That every page a role can open fits a 390 px phone is checked page by page with
axe-core, in test_browser_accessibility.py.)

Screenshots of each home page land in test-results/screenshots/ for people to look at;
pytest-playwright also saves one for any failing test.
"""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD
from accounts.tests.second_factor_helpers import app_code, enrolled
from core.tests.running import DESKTOP, PHONE, log_in

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"

HOMES = {
    "mentor_a": ("relationships:my_mentees", "My mentees"),
    "coordinator_a": ("home:dashboard", "Dashboard"),
    "manager": ("home:overview", "Overview"),
}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("who", list(HOMES))
def test_each_role_logs_in_and_lands_on_its_home(browser, browser_server, world, who, viewport):
    user = getattr(world, who)
    url_name, heading = HOMES[who]
    device = None if who == "mentor_a" else enrolled(user)[0]  # staff give a code too
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(browser_server.url + reverse("home"))
    expect(page).to_have_url(f"{browser_server.url}{reverse('login')}?next=/")
    page.get_by_label("Email address").fill(user.email.upper())
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if device is not None:
        page.get_by_label("Code").fill(app_code(device))
        page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(browser_server.url + reverse(url_name))
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    if who == "mentor_a":
        # In the page's main content: the header's "Account (Max)" must not count, nor clash
        # when the random mentee is a Max too.
        expect(
            page.get_by_role("main").get_by_text(world.mentee_a.given_name).first
        ).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = "phone" if viewport == PHONE else "desktop"
    page.screenshot(path=SHOTS / f"home-{who}-{width}.png", full_page=True)
    context.close()


def test_the_phone_menu_opens_and_shows_role_navigation(browser, browser_server, world):
    context = browser.new_context(viewport=PHONE)
    log_in(context, browser_server, world.manager)
    page = context.new_page()
    page.goto(browser_server.url + reverse("schemes:list"))
    people = page.get_by_role("link", name="People")
    expect(people).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(people).to_be_visible()
    expect(page.get_by_role("link", name="Audit trail")).to_be_visible()
    expect(page.get_by_role("link", name="My mentees")).to_have_count(0)
    context.close()


def test_a_wrong_password_is_explained_on_the_phone(browser, browser_server, world):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(browser_server.url + reverse("login"))
    page.get_by_label("Email address").fill(world.mentor_a.email)
    page.get_by_label("Password").fill("not my password")
    page.get_by_role("button", name="Log in").click()
    expect(
        page.get_by_text("That email address and password don't match an account")
    ).to_be_visible()
    context.close()
