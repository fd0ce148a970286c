"""Screenshots of every form with its errors, at phone and desktop width, for a person to look
at: each form the permission matrix sends valid is sent empty and with bad values, and the page
that comes back is drawn by Chromium into var/screenshots/forms/<url name>-<body>-<width>.png.

Each page is the server's answer to the POST (made with the test client, in a transaction
rolled back after it), shown in a page of the live server so its CSS and JavaScript load."""

from pathlib import Path

import pytest
from django.db import transaction
from playwright.sync_api import expect

from core.tests.running import DESKTOP, PHONE
from core.tests.test_form_errors import WRITES, _has_errors, _send

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "forms"


def test_every_form_with_errors_is_drawn_at_both_widths(browser, browser_server, world):
    """Every form page with errors draws, at 390 and 1280 px, with its summary focused and no
    sideways scrolling on the phone."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages: dict[str, str] = {}
    for matrix_row in WRITES:
        for body in ("empty", "bad values"):
            with transaction.atomic():
                response, _ = _send(world, matrix_row, body)
                if response.status_code == 200 and _has_errors(response):
                    name = matrix_row.url_name.replace(":", "-")
                    pages.setdefault(f"{name}-{body.replace(' ', '-')}", response.content.decode())
                transaction.set_rollback(True)
    assert len(pages) > 40
    for width, viewport in (("390", PHONE), ("1280", DESKTOP)):
        context = browser.new_context(viewport=viewport, locale="en-GB")
        page = context.new_page()
        for name, html in sorted(pages.items()):
            page.goto(browser_server.url + "/healthz")
            page.set_content(html, wait_until="load")
            expect(page.locator("[data-error-summary]")).to_be_focused()
            if viewport is PHONE:
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, f"{name} scrolls sideways on a phone"
            page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)
        context.close()
    print(f"\n{len(pages)} form pages with errors, drawn at 390 and 1280 px in {SHOTS}")
