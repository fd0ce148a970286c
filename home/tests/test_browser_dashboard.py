"""The dashboard's "By scheme" table in a real browser at phone width, on the demo data:
every column is in view without scrolling the page sideways, or the table says it scrolls."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Role, User
from core.tests.running import DESKTOP, PHONE, log_in
from schemes.models import Scheme

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "issue12"


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_by_scheme_table_fits_a_phone(browser, browser_server, size):
    """Someone with several schemes reads every scheme's figures under "By scheme": at 390 px
    as at 1280 every column is inside the screen, so no hint to scroll is needed (or shown),
    and the page itself never scrolls sideways."""
    call_command("seed_demo")
    SHOTS.mkdir(parents=True, exist_ok=True)
    manager = User.objects.filter(memberships__role=Role.MANAGER).order_by("pk").first()
    viewport = PHONE if size == "phone" else DESKTOP
    context = browser.new_context(viewport=viewport, locale="en-GB")
    log_in(context, browser_server, manager)
    page = context.new_page()
    page.goto(browser_server.url + reverse("home:dashboard"))
    region = page.get_by_role("region", name="By scheme (scrolls sideways)")
    for scheme in Scheme.objects.all():
        expect(region.get_by_role("rowheader", name=scheme.name)).to_be_visible()
    region.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / f"dashboard-by-scheme-{size}.png", full_page=True)
    assert region.evaluate("el => el.scrollWidth <= el.clientWidth")
    for heading in region.get_by_role("columnheader").all():
        expect(heading).to_be_in_viewport()
    expect(page.get_by_text("scroll it sideways")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    context.close()
