"""What the browser tests of the phone's outbox (static/js/outbox.js) share: reading and
filling the phone's store, opening and filling the meeting form."""

from pathlib import Path

from django.urls import reverse

from core.tests.running import PHONE, SERVICE_WORKER_IN_CHARGE, log_in, wait_until

SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
SAVED = "Saved on this phone — will send when you are online"
CONCERN_WAITS = "Your concern has not reached your coordinator yet. If it is urgent, phone them."

_OPEN = """const opening = indexedDB.open("tandem-outbox", 1);
    opening.onupgradeneeded = () =>
        opening.result.createObjectStore("meetings", {keyPath: "clientId"});
    opening.onerror = () => reject(opening.error);"""

# What the phone keeps, read the way outbox.js stores it.
READ_OUTBOX = f"""() => new Promise((resolve, reject) => {{
    {_OPEN}
    opening.onsuccess = () => {{
        const db = opening.result;
        const all = db.transaction("meetings").objectStore("meetings").getAll();
        all.onsuccess = () => {{ db.close(); resolve(all.result); }};
    }};
}})"""

# Meetings put on the phone as outbox.js would have kept them (another login's, say).
PUT_OUTBOX = f"""(items) => new Promise((resolve, reject) => {{
    {_OPEN}
    opening.onsuccess = () => {{
        const db = opening.result;
        const transaction = db.transaction("meetings", "readwrite");
        for (const item of items) transaction.objectStore("meetings").put(item);
        transaction.oncomplete = () => {{ db.close(); resolve(); }};
        transaction.onerror = () => reject(transaction.error);
    }};
}})"""


def wait_for_outbox(page, done) -> list[dict]:
    """The phone's store once ``done(items)`` holds (or as it is after about ten seconds)."""
    for _ in range(100):
        items = page.evaluate(READ_OUTBOX)
        if done(items):
            break
        page.wait_for_timeout(100)
    return items


def wait_until_sent(page) -> None:
    """Until the phone keeps nothing (sent, or given up after about ten seconds)."""
    wait_for_outbox(page, lambda items: not items)


def open_form(browser, server, user, relationship):
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    log_in(context, server, user)
    page = context.new_page()
    page.goto(server.url + reverse("relationships:meeting_new", args=[relationship.pk]))
    # The service worker has taken charge, so the app's files are on the phone.
    wait_until(page, SERVICE_WORKER_IN_CHARGE)
    return context, page


def fill(page, minutes: str = "", note: str = "Walked to the job centre; CV started.") -> None:
    page.get_by_text("Yes, we met", exact=True).click()
    page.get_by_text("Face to face", exact=True).click()
    if minutes:
        page.get_by_placeholder("other").fill(minutes)
    else:
        page.get_by_text("45 min", exact=True).click()
    page.get_by_role("group", name="Who got in touch first?").get_by_text("Dorian").click()
    page.get_by_text("Working on goals", exact=True).click()
    page.get_by_label("Notes for your coordinator").fill(note)
