"""The installable app in Chromium: the service worker keeps the app's own files and the page
for no signal, and never a page about a case, however many a mentor opens; the favicon and
the manifest are served with their types. Screenshots: test-results/screenshots/offline-*.png."""

from pathlib import Path

import pytest
from django.templatetags.static import static
from django.urls import reverse
from playwright.sync_api import expect

from core import views
from core.tests.running import PHONE, SERVICE_WORKER_IN_CHARGE, log_in, wait_until
from relationships.tests.factories import GoalFactory, MeetingFactory

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"

# Everything in the browser's Cache Storage: cache name, path, type and body of each entry.
READ_CACHES = """async () => {
    const kept = [];
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) {
            const response = await cache.match(request);
            const type = response.headers.get("Content-Type") || "";
            const text = type.startsWith("text/html") ? await response.text() : "";
            kept.push({name, path: new URL(request.url).pathname, type, text});
        }
    }
    return kept;
}"""


def test_the_service_worker_never_keeps_a_case_page(browser, browser_server, world):
    """After a mentor opens their mentees, a relationship, its meetings and the meeting form,
    the phone's caches hold the app's static files and the offline page (which names no one)
    and no other page. With no signal, a case page shows the offline page, not the case."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    mentee = world.mentee_a
    mentee.given_name, mentee.family_name = "Ottoline", "Brackenbury"
    mentee.save()
    relationship = world.relationship_a
    GoalFactory(relationship=relationship, title="Somewhere settled to live")
    MeetingFactory(relationship=relationship, note_shared="Met at the library: SHARED-XYZZY")
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    log_in(context, browser_server, world.mentor_a)
    page = context.new_page()
    page.goto(browser_server.url + reverse("relationships:my_mentees"))
    wait_until(page, SERVICE_WORKER_IN_CHARGE)
    case_pages = [
        reverse("relationships:detail", args=[relationship.pk]),
        reverse("relationships:meetings", args=[relationship.pk]),
        reverse("relationships:meeting_new", args=[relationship.pk]),
        reverse("relationships:my_mentees"),
    ]
    for path in case_pages:
        page.goto(browser_server.url + path)
        expect(page.get_by_text("Ottoline").first).to_be_visible()

    kept = page.evaluate(READ_CACHES)
    paths = {entry["path"] for entry in kept}
    assert {entry["name"] for entry in kept} == {next(iter(kept))["name"]}  # one, versioned
    assert static("css/tandem.css") in paths
    assert static("js/outbox.js") in paths
    assert static("vendor/bootstrap/bootstrap.min.css") in paths
    pages = [entry for entry in kept if entry["type"].startswith("text/html")]
    assert [entry["path"] for entry in pages] == [reverse("core:offline")]
    assert not paths & set(case_pages)
    for secret in ("Ottoline", "Brackenbury", "SHARED-XYZZY", world.mentor_a.get_short_name()):
        assert secret not in pages[0]["text"]

    context.set_offline(True)
    page.goto(browser_server.url + case_pages[0])
    expect(page.get_by_role("heading", name="Saved on this phone")).to_be_visible()
    expect(page.get_by_text("You are offline.")).to_be_visible()
    expect(page.get_by_text("Ottoline")).to_have_count(0)
    page.screenshot(path=SHOTS / "offline-2-no-signal-phone.png", full_page=True)
    context.close()


def test_favicon_and_manifest_are_served_with_their_types(browser, browser_server, world):
    """/favicon.ico is an icon, the manifest is a web app manifest, and every icon it names
    is a PNG the browser can fetch."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    icon = page.request.get(browser_server.url + "/favicon.ico")
    assert (icon.status, icon.headers["content-type"]) == (200, "image/x-icon")
    svg = page.request.get(browser_server.url + static("icons/favicon.svg"))
    assert (svg.status, svg.headers["content-type"]) == (200, "image/svg+xml")
    manifest = page.request.get(browser_server.url + reverse("core:manifest"))
    assert manifest.status == 200
    assert manifest.headers["content-type"] == "application/manifest+json"
    for entry in manifest.json()["icons"]:
        png = page.request.get(browser_server.url + entry["src"])
        assert (png.status, png.headers["content-type"]) == (200, "image/png"), entry["src"]
    page.goto(browser_server.url + reverse("login"))
    linked = page.locator("link[rel=manifest]").get_attribute("href")
    assert linked == reverse("core:manifest")
    wait_until(page, SERVICE_WORKER_IN_CHARGE)
    # Chromium reads the manifest without complaint and would offer to install the app, but
    # for Playwright's private window.
    chromium = context.new_cdp_session(page)
    assert chromium.send("Page.getAppManifest")["errors"] == []
    errors = chromium.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert {error["errorId"] for error in errors} <= {"in-incognito"}
    context.close()


def test_a_deploy_replaces_the_phones_copy(browser, browser_server, world, monkeypatch):
    """When what the shell holds changes (a deploy), the browser finds a new service worker,
    which keeps the new files under a new name and deletes the old cache."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(browser_server.url + reverse("login"))
    wait_until(page, SERVICE_WORKER_IN_CHARGE)
    before = page.evaluate("caches.keys()")
    assert len(before) == 1
    monkeypatch.setattr(views, "SHELL_ICONS", [*views.SHELL_ICONS, "icons/icon-maskable-512.png"])
    page.evaluate("navigator.serviceWorker.getRegistration().then((found) => found.update())")
    for _ in range(100):
        after = page.evaluate("caches.keys()")
        if after != before and len(after) == 1:
            break
        page.wait_for_timeout(100)
    assert len(after) == 1 and after != before
    paths = {entry["path"] for entry in page.evaluate(READ_CACHES)}
    assert static("icons/icon-maskable-512.png") in paths
    context.close()


def test_a_page_that_never_comes_shows_the_page_for_no_signal(
    browser, browser_server, world, monkeypatch
):
    """A connection that is up but carries nothing (the page never answers): after the
    service worker's wait, the mentor sees the page for no signal saying Tandem could not be
    reached, not an endless spinner."""
    monkeypatch.setattr(views, "NAVIGATION_TIMEOUT_SECONDS", 1)
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    log_in(context, browser_server, world.mentor_a)
    page = context.new_page()
    page.goto(browser_server.url + reverse("relationships:my_mentees"))
    wait_until(page, SERVICE_WORKER_IN_CHARGE)
    hung = reverse("relationships:detail", args=[world.relationship_a.pk])
    context.route(f"**{hung}", lambda route: None)  # never answered
    page.goto(browser_server.url + hung)
    expect(page.get_by_role("heading", name="Saved on this phone")).to_be_visible()
    expect(page.get_by_text("Tandem could not be reached just now.")).to_be_visible()
    context.close()
