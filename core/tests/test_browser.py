"""Real Chromium, real pages: each role logs in and lands on its home, at phone and desktop
width, and every page a role can open fits a 390 px phone without sideways scrolling.

Screenshots of each home page land in test-results/screenshots/ for people to look at;
pytest-playwright also saves one for any failing test.
"""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD
from core.tests.running import DESKTOP, PHONE, log_in
from core.tests.test_permission_matrix import MATRIX

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"

HOMES = {
    "mentor_a": ("relationships:my_mentees", "My mentees"),
    "coordinator_a": ("home:dashboard", "Dashboard"),
    "manager": ("schemes:list", "Schemes"),
}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("who", list(HOMES))
def test_each_role_logs_in_and_lands_on_its_home(browser, browser_server, world, who, viewport):
    user = getattr(world, who)
    url_name, heading = HOMES[who]
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(browser_server.url + reverse("home"))
    expect(page).to_have_url(f"{browser_server.url}{reverse('login')}?next=/")
    page.get_by_label("Email address").fill(user.email.upper())
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
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


ROLE_USERS = {"mentor": "mentor_a", "coordinator_a": "coordinator_a", "manager": "manager"}


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_every_page_a_role_can_open_fits_a_phone(browser, browser_server, world, role):
    """Taken from the permission matrix: every GET page this role may open (200), at 390 px."""
    context = browser.new_context(viewport=PHONE)
    log_in(context, browser_server, getattr(world, ROLE_USERS[role]))
    page = context.new_page()
    checked = []
    for row in MATRIX:
        if row.method != "get" or row.expect[role] != 200 or row.url_name == "healthz":
            continue
        path = reverse(row.url_name, kwargs=row.kwargs(world) or None)
        response = page.goto(browser_server.url + path)
        assert response is not None and response.status == 200, path
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 390px"
        checked.append(path)
    assert len(checked) >= 4, checked
    context.close()
