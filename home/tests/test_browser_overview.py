"""The manager's overview in a real browser, on the demo data, at phone and desktop width:
the manager lands on it, reads each scheme's figures and targets in words, sorts by a
column, and on a phone scrolls the table sideways inside its box (never the page)."""

import re
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
def test_a_manager_reads_and_sorts_the_overview_of_the_demo_schemes(browser, browser_server, size):
    """On the demo data: every scheme has a row with its targets in words and a status word;
    sorting by people waiting puts the longest queue first and says so to a screen reader;
    on a phone the hint says the table scrolls and only the table does."""
    call_command("seed_demo")
    SHOTS.mkdir(parents=True, exist_ok=True)
    # The demo's manager (production code, tests included, never imports the demo package).
    manager = User.objects.filter(memberships__role=Role.MANAGER).order_by("pk").first()
    context = browser.new_context(viewport=PHONE if size == "phone" else DESKTOP, locale="en-GB")
    log_in(context, browser_server, manager)
    page = context.new_page()
    page.goto(browser_server.url + reverse("home"))
    expect(page).to_have_url(browser_server.url + reverse("home:overview"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
    region = page.get_by_role("region", name="Schemes overview (scrolls sideways)")
    table = region.get_by_role("table")
    for scheme in Scheme.objects.all():
        expect(table.get_by_role("rowheader", name=scheme.name)).to_be_visible()
    referred = page.get_by_role("row", name=re.compile(r"^Referred \d+ of \d+ \(\d+%\)"))
    expect(referred).to_have_count(Scheme.objects.count())
    expect(referred.first.locator(".badge")).to_have_text(re.compile(r"^(on track|behind|met)$"))
    hint = page.get_by_text("scroll it sideways")
    if size == "phone":
        expect(hint).to_be_visible()
        assert region.evaluate("el => el.scrollWidth > el.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    else:
        expect(hint).to_be_hidden()
    page.screenshot(path=SHOTS / f"overview-{size}.png", full_page=True)

    page.get_by_role("link", name="Waiting for a match").click()
    page.get_by_role("link", name="Waiting for a match").click()  # again: descending
    expect(page).to_have_url(browser_server.url + reverse("home:overview") + "?sort=-waiting")
    header = page.get_by_role("columnheader", name="Waiting for a match")
    expect(header).to_have_attribute("aria-sort", "descending")
    # The column under that heading (the first cell of a row is the scheme's header cell).
    column = table.locator("thead th").all_inner_texts().index(header.inner_text())
    waits = [int(t) for t in table.locator(f"tbody tr td:nth-of-type({column})").all_inner_texts()]
    assert waits == sorted(waits, reverse=True) and len(waits) == Scheme.objects.count()
    region.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    page.screenshot(path=SHOTS / f"overview-sorted-{size}.png", full_page=True)
    context.close()
