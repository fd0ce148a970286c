"""Every form with its errors, at phone and desktop width: drawn for a person to look at, and
checked by axe-core. Each form the permission matrix sends valid is sent empty and with bad
values, and the page that comes back is drawn by Chromium into
var/screenshots/forms/<url name>-<body>-<width>.png.

Each page is the server's answer to the POST (made with the test client, in a transaction
rolled back after it), shown in a page of the live server so its CSS and JavaScript load. The
forms are split into batches, a test each, so parallel workers share them."""

import os
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.db import transaction
from playwright.sync_api import expect

from core.tests.running import DESKTOP, PHONE
from core.tests.test_browser_accessibility import SIDEWAYS, Finding, axe_check, describe
from core.tests.test_form_errors import WRITES, _has_errors, _send

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "forms"
PARTS = 4
#: `make screenshots` sets this: drawing ~200 full pages is for a person to look at, and costs
#: more than every check here together, so `make test` checks without drawing.
DRAW = os.environ.get("TANDEM_SCREENSHOTS") == "1"


def pages_with_errors(world, part: int) -> dict[str, str]:
    """One batch of the form pages that come back with errors: file name → the page."""
    pages: dict[str, str] = {}
    for matrix_row in WRITES[part::PARTS]:
        for body in ("empty", "bad values"):
            with transaction.atomic():
                response, _ = _send(world, matrix_row, body)
                if response.status_code == 200 and _has_errors(response):
                    name = matrix_row.url_name.replace(":", "-")
                    pages.setdefault(f"{name}-{body.replace(' ', '-')}", response.content.decode())
                transaction.set_rollback(True)
    return pages


def test_the_batches_cover_the_forms_that_matter(world):
    """The batches below draw dozens of forms with errors, the meeting form among them: a
    change to the matrix that left them drawing nothing would fail here."""
    names = set().union(*(pages_with_errors(world, part) for part in range(PARTS)))
    assert len(names) > 40
    assert "relationships-meeting_new-empty" in names


@pytest.mark.parametrize("part", range(PARTS), ids=[f"{p + 1}of{PARTS}" for p in range(PARTS)])
def test_every_form_with_errors_is_drawn_and_meets_wcag_aa(browser, browser_server, world, part):
    """Every form page with errors opens on a 390 px phone with its summary focused, without
    sideways scrolling, and with no axe-core violation of WCAG 2.0/2.1/2.2 A or AA (the
    summary, the messages under each field and the red edges included). With `make
    screenshots` each is also drawn at 390 and 1280 px."""
    if DRAW:
        SHOTS.mkdir(parents=True, exist_ok=True)
    pages = pages_with_errors(world, part)
    assert pages, f"batch {part + 1} drew no form"
    findings: dict[Finding, dict[str, Any]] = {}
    too_wide = []
    widths = (("390", PHONE), ("1280", DESKTOP)) if DRAW else (("390", PHONE),)
    for width, viewport in widths:
        context = browser.new_context(viewport=viewport, locale="en-GB")
        context.add_init_script(script=AXE_SCRIPT)
        page = context.new_page()
        for name, html in sorted(pages.items()):
            page.goto(browser_server.url + "/healthz")
            page.set_content(html, wait_until="load")
            expect(page.locator("[data-error-summary]")).to_be_focused()
            if viewport is PHONE:
                axe_check(page, name, "390 px", findings)
                if (overflow := page.evaluate(SIDEWAYS)) > 0:
                    too_wide.append(f"{name} scrolls sideways by {overflow}px at 390 px")
            if DRAW:
                page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)
        context.close()
    if findings:
        pytest.fail(
            f"{len(findings)} WCAG A/AA problems on forms with errors:\n" + describe(findings)
        )
    assert not too_wide, "\n".join(too_wide)
