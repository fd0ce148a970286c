"""A manager follows "Flag rules" from the menu to the list of rules and opens one rule's
page, at phone and desktop width: the counts, the threshold per scheme and the scheme filter
fit the screen and meet WCAG AA. Screenshots go to var/screenshots/issue13/."""

import datetime
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.running import DESKTOP, PHONE, log_in
from core.tests.test_browser_accessibility import SIDEWAYS, axe_check, describe
from flags.models import Action, Flag, Kind, Severity
from relationships.tests.factories import RelationshipFactory

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "issue13"


@pytest.fixture
def counted(world):
    """Three "No recent meeting" flags in scheme A (one acted on, one not useful, one live)
    and one in scheme B, all raised this month."""
    now = timezone.now()

    def flag(scheme, **kw):
        Flag.objects.create(
            kind=Kind.SILENCE,
            severity=Severity.HIGH,
            scheme=scheme,
            relationship=RelationshipFactory(mentee__scheme=scheme),
            evidence="No meeting held for 20 days.",
            raised_at=now - datetime.timedelta(days=5),
            **kw,
        )

    acknowledged = {"acknowledged_at": now, "acknowledged_by": world.coordinator_a}
    flag(world.scheme_a, status="acknowledged", action=Action.TALKED_WITH_MENTOR, **acknowledged)
    flag(world.scheme_a, status="acknowledged", action=Action.NOT_USEFUL, **acknowledged)
    flag(world.scheme_a)
    flag(world.scheme_b)
    return world


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_manager_reads_how_useful_a_rule_is(browser, browser_server, counted, size):
    """From the menu to the rules, then "No recent meeting": its meaning, each scheme's
    threshold and counts; choosing one scheme narrows the counts. The pages fit the width
    without sideways scrolling and axe-core finds no WCAG A or AA problem."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=PHONE if size == "phone" else DESKTOP, locale="en-GB")
    context.add_init_script(script=AXE_SCRIPT)
    log_in(context, browser_server, counted.manager)
    page = context.new_page()
    findings: dict = {}
    page.goto(browser_server.url + reverse("home:overview"))
    if size == "phone":
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Flag rules").click()
    expect(page.get_by_role("heading", name="How useful each rule is")).to_be_visible()
    axe_check(page, "rules", size, findings)
    assert page.evaluate(SIDEWAYS) <= 0
    page.screenshot(path=SHOTS / f"walkfix-rules-list-{size}.png", full_page=True)

    page.get_by_role("link", name="No recent meeting").first.click()
    expect(page.get_by_role("heading", name="No recent meeting", level=1)).to_be_visible()
    expect(page.get_by_text("twice the scheme's usual days between contacts")).to_be_visible()
    total = page.locator(".rule-facts")
    expect(total).to_contain_text("Raised4")
    expect(page.get_by_text("Raised after 14 days with no meeting").first).to_be_visible()
    axe_check(page, "rule", size, findings)
    assert page.evaluate(SIDEWAYS) <= 0
    page.screenshot(path=SHOTS / f"walkfix-rules-detail-{size}.png", full_page=True)

    page.get_by_label("Scheme", exact=True).select_option(label=counted.scheme_a.name)
    page.get_by_role("button", name="Show").click()
    expect(total).to_contain_text("Raised3")
    expect(total).to_contain_text("Acted on1")
    expect(total).to_contain_text("Not useful1")
    assert not findings, describe(findings)
    context.close()
