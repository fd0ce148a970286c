"""The Content-Security-Policy holds in a real browser: no page the permission matrix opens
breaks it (no inline style, script or handler is refused), and the pages whose inline styles
moved into tandem.css still look as they did (screenshots to look at).

Chromium reports each refusal twice: as a ``securitypolicyviolation`` event in the page
(listened for from before the page's first script) and as a console error. Both are
collected; either fails the test. A role's pages share one browser context.
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import ConsoleMessage, Page

from conftest import World
from core.tests.matrix import ROLES
from core.tests.running import DESKTOP, PHONE, log_in
from core.tests.test_browser_accessibility import furnish, pages_for, rows_for

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(
    os.environ.get("TANDEM_CSP_SCREENSHOTS", ROOT / "var" / "screenshots" / "issue15" / "csp")
)

#: Kept in the page from before its own scripts run: every refusal the CSP makes.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} refused ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile || "page"}:${event.lineNumber}) ${event.sample || ""}`
  );
});
"""


def csp_console_errors(page: Page) -> list[str]:
    """Console messages about the CSP, collected as the page's console reports them."""
    found: list[str] = []

    def note(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Permissions-Policy" in message.text:
            found.append(f"{message.type}: {message.text}")

    page.on("console", note)
    return found


@pytest.mark.parametrize("role", ROLES)
def test_no_page_a_role_can_open_breaks_the_content_security_policy(
    browser, browser_server, world, role
):
    """Every page the permission matrix opens for a role loads in Chromium with the CSP
    header and without one refusal: no inline style, script or handler is left, and nothing
    comes from another origin. (The Permissions-Policy header is read without complaint.)"""
    furnish(world)
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    context.add_init_script(script=LISTEN)
    user = world.users()[role]
    if user is not None:
        log_in(context, browser_server, user)
    page = context.new_page()
    console = csp_console_errors(page)
    problems, checked = [], []
    for path, row_id in pages_for(role, 0, 1, world).items():
        response = page.goto(browser_server.url + path)
        assert response is not None and response.status == 200, f"{role} {path}: not 200"
        if not response.headers.get("content-type", "").startswith("text/html"):
            # Not a page (/healthz, the manifest, the icon, the service worker): Chromium shows
            # text in a viewer of its own, whose styles the policy refuses, not Tandem's.
            page.wait_for_load_state("load")
            console.clear()
            continue
        assert "content-security-policy" in response.headers, f"{path}: no CSP header"
        page.wait_for_load_state("load")
        violations = page.evaluate("window.__cspViolations")
        problems += [f"{path} ({row_id}): {v}" for v in violations]
        problems += [f"{path} ({row_id}): {c}" for c in console]
        console.clear()
        checked.append(path)
    context.close()
    assert checked, f"no page checked for {role}"
    assert len(checked) == len({p for p in checked}), "a page was checked twice"
    assert problems == [], "\n".join(problems)


def test_every_role_has_pages_to_check():
    """The CSP walk above checks something for every role (the matrix has GET rows that
    answer each role with 200)."""
    assert all(rows_for(role) for role in ROLES)


def screenshot_pages(world: World) -> dict[str, tuple[str, str]]:
    """The pages whose inline styles moved into tandem.css: name → (role, path)."""
    from reports.models import ReportExport

    export = ReportExport.objects.create(
        requested_by=world.coordinator_a,
        scheme_ids=[world.scheme_a.pk],
        date_from=timezone.localdate(),
        date_to=timezone.localdate(),
        progress=40,
        message="Counting referrals",
    )
    relationship = reverse("relationships:detail", args=[world.relationship_a.pk])
    goal = world.relationship_a.goals.first()
    assert goal is not None
    return {
        "login": ("anonymous", reverse("login")),
        "not-found": ("coordinator_a", "/no-such-page/"),
        "report-progress": ("coordinator_a", reverse("reports:detail", args=[export.pk])),
        "relationship-chart": ("coordinator_a", relationship),
        "goal-edit": ("coordinator_a", reverse("relationships:goal_edit", args=[goal.pk])),
        "new-referral": ("coordinator_a", reverse("mentees:referral_new")),
        "new-mentor": ("coordinator_a", reverse("mentors:new")),
        "import": ("coordinator_a", reverse("home:import")),
    }


def test_pages_whose_styles_moved_are_drawn_for_a_person_to_compare(browser, browser_server, world):
    """The pages that had style attributes (narrow cards, the report's progress bar, the
    chart's key), drawn at 390 px and 1280 px into var/screenshots/issue15/csp/ for a person
    to compare with the same pages before the move. The progress bar shows how far a report
    has got and the chart's key shows each area's colour."""
    furnish(world)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    contexts = {}
    for name, (role, path) in screenshot_pages(world).items():
        if role not in contexts:
            contexts[role] = browser.new_context(viewport=PHONE, locale="en-GB")
            user = world.users()[role]
            if user is not None:
                log_in(contexts[role], browser_server, user)
        page = contexts[role].new_page()
        page.goto(browser_server.url + path)
        for width, viewport in (("390", PHONE), ("1280", DESKTOP)):
            page.set_viewport_size(viewport)
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        if name == "report-progress":
            bar = page.locator(".progress-bar").bounding_box()
            meter = page.locator(".progress").bounding_box()
            assert bar and meter and 0.3 < bar["width"] / meter["width"] < 0.5
            assert meter["height"] >= 24  # 1.5 rem
        if name == "relationship-chart":
            assert page.locator("figure ul .chart-key svg circle").count() >= 5
        page.close()
    for context in contexts.values():
        context.close()
