"""The manager's overview in a real browser, on the demo data, at phone and desktop width:
the manager lands on it, reads each scheme's figures and targets in words, and sorts them.
At 1280 px the table and the menu fit; on a phone each scheme is a card; at a width between,
where the table still scrolls sideways inside its box, a hint says so."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role, User
from core.tests.running import DESKTOP, PHONE, log_in
from home.overview import overview_for
from schemes.models import Scheme, Target

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "issue12"
OVERVIEW = reverse("home:overview")


def _open(browser, server, viewport: dict[str, int], name: str = "") -> tuple[User, Page]:
    call_command("seed_demo")
    SHOTS.mkdir(parents=True, exist_ok=True)
    # The demo's manager (production code, tests included, never imports the demo package).
    manager = User.objects.filter(memberships__role=Role.MANAGER).order_by("pk").first()
    assert manager is not None
    if name:
        manager.full_name = name
        manager.save(update_fields=["full_name"])
    context = browser.new_context(viewport=viewport, locale="en-GB")
    log_in(context, server, manager)
    page = context.new_page()
    page.goto(server.url + reverse("home"))
    expect(page).to_have_url(server.url + OVERVIEW)
    expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
    return manager, page


def _targets_in_words(page: Page) -> None:
    """Each running referral target is a row naming its period (a year's and a quarter's
    target of the same stage run at once), with the actual in words."""
    referred = page.get_by_role(
        "row", name=re.compile(r"^Referred \d+ \w+ \d{4} to \d+ \w+ \d{4} \d+ of \d+ \(\d+%\)")
    )
    today = timezone.localdate()
    running = Target.objects.filter(stage="referred", starts_on__lte=today, ends_on__gte=today)
    assert running.values("scheme").distinct().count() == Scheme.objects.count()
    expect(referred).to_have_count(running.count())
    expect(referred.first.locator(".badge")).to_have_text(re.compile(r"^(on track|behind|met)$"))


def _names(manager: User, sort: str) -> list[str]:
    return [row.scheme.name for row in overview_for(manager, sort=sort)]


def test_at_desktop_width_the_table_and_menu_fit_and_a_figure_sorts_largest_first(
    browser, browser_server
):
    """At 1280 px every column shows without scrolling (so no hint), the menu is one line
    even beside a long name, the health columns sit under one heading; the first click on
    "Waiting" puts the longest queue first and says "descending" to a screen reader; the
    second turns it round."""
    manager, page = _open(browser, browser_server, DESKTOP, name="Maximilienne Featherstone")
    region = page.get_by_role("region", name="Schemes overview (scrolls sideways)")
    table = region.get_by_role("table")
    for scheme in Scheme.objects.all():
        expect(table.get_by_role("rowheader", name=scheme.name)).to_be_visible()
    expect(table.get_by_role("columnheader", name="Open relationships by health")).to_be_visible()
    expect(table.get_by_role("columnheader", name="Targets behind")).to_be_in_viewport()
    assert region.evaluate("el => el.scrollWidth <= el.clientWidth")
    expect(page.get_by_text("scroll it sideways")).to_be_hidden()
    expect(page.locator(".overview-cards")).to_be_hidden()  # the phone's form, for no one here
    # One line: every link of the menu at the same height, none taller than "Overview",
    # and none past the right edge of the screen.
    boxes = page.locator("nav[aria-label=Main] .nav-link").evaluate_all(
        "links => links.map(a => { const r = a.getBoundingClientRect();"
        " return [a.textContent.trim(), r.top, r.height, r.right]; })"
    )
    assert len({(top, height) for _, top, height, _ in boxes}) == 1, f"the menu wraps: {boxes}"
    assert max(right for *_, right in boxes) <= DESKTOP["width"]
    page.screenshot(path=SHOTS / "overview-desktop.png", full_page=True)

    page.get_by_role("link", name="Waiting for a match").click()
    expect(page).to_have_url(browser_server.url + OVERVIEW + "?sort=-waiting")
    header = page.get_by_role("columnheader", name="Waiting for a match")
    expect(header).to_have_attribute("aria-sort", "descending")
    expect(table.get_by_role("rowheader")).to_have_text(_names(manager, "-waiting"))
    page.screenshot(path=SHOTS / "overview-sorted-desktop.png", full_page=True)
    page.get_by_role("link", name="Waiting for a match").click()
    expect(page).to_have_url(browser_server.url + OVERVIEW + "?sort=waiting")
    expect(header).to_have_attribute("aria-sort", "ascending")
    expect(table.get_by_role("rowheader")).to_have_text(_names(manager, "waiting"))
    page.get_by_role("link", name="Scheme", exact=True).click()  # a name sorts A to Z first
    expect(page.get_by_role("columnheader", name="Scheme")).to_have_attribute(
        "aria-sort", "ascending"
    )
    _targets_in_words(page)


def test_on_a_phone_each_scheme_is_a_card_sorted_by_a_choice(browser, browser_server):
    """At 390 px each scheme is a card listing every figure by name (the table is not there
    for a screen reader to meet twice) and the page never scrolls sideways; "Sort by" puts
    the most late concerns first."""
    manager, page = _open(browser, browser_server, PHONE)
    expect(page.get_by_role("table", name=re.compile("overview"))).to_have_count(0)
    expect(page.get_by_role("region", name=re.compile("Schemes overview"))).to_be_hidden()
    cards = page.locator(".overview-cards > li")
    expect(cards.get_by_role("heading", level=2)).to_have_text(_names(manager, "scheme"))
    first = cards.first
    for term in ("Open relationships", "Stalling", "Open concerns", "Live flags",
                 "Waiting for a match", "Longest wait", "Targets behind"):  # fmt: skip
        expect(first.get_by_role("term").filter(has_text=re.compile(f"^{term}$"))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=SHOTS / "overview-phone.png", full_page=True)

    late_first = "Late concerns (most first)"
    page.get_by_label("Sort by").select_option(label=late_first)
    # Choosing does not reload the page (WCAG 3.2.2, on input): the button does.
    expect(page).to_have_url(browser_server.url + OVERVIEW)
    page.get_by_role("button", name="Sort", exact=True).click()
    expect(page).to_have_url(browser_server.url + OVERVIEW + "?sort=-overdue_concerns")
    expect(cards.get_by_role("heading", level=2)).to_have_text(_names(manager, "-overdue_concerns"))
    _targets_in_words(page)
    page.screenshot(path=SHOTS / "overview-sorted-phone.png", full_page=True)


def test_where_the_table_still_scrolls_the_hint_says_so(browser, browser_server):
    """At a tablet's 800 px the table is wider than its box: the hint shows, the box (not
    the page) scrolls, and the scheme's name stays in view when scrolled to the end."""
    _, page = _open(browser, browser_server, {"width": 800, "height": 1000})
    region = page.get_by_role("region", name="Schemes overview (scrolls sideways)")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    expect(page.get_by_text("scroll it sideways")).to_be_visible()
    region.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    page.screenshot(path=SHOTS / "overview-tablet-scrolled.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 800
    name = Scheme.objects.order_by("name").first().name
    expect(region.get_by_role("rowheader", name=name)).to_be_in_viewport()
