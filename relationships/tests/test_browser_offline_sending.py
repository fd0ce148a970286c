"""The phone's outbox (static/js/outbox.js) when something goes wrong, on a 390x844 phone: a
form the server refuses or accepts while online leaves nothing behind and goes once; one
failing meeting holds up no other; logging out touches only this login's meetings, and
sends what can go before asking; a logged-out page names no one."""

import datetime
import urllib.parse
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.running import PHONE, log_in
from relationships.models import Meeting
from relationships.tests.meeting_kit import form_data, new_url
from relationships.tests.offline_kit import (
    PUT_OUTBOX,
    READ_OUTBOX,
    fill,
    open_form,
    wait_for_outbox,
)

pytestmark = pytest.mark.browser


def _kept(server, rel, user, client_id: str, **overrides) -> dict:
    """A meeting as outbox.js keeps it: a valid form for ``rel``, waiting to be sent."""
    body = urllib.parse.urlencode(form_data(client_id=client_id), doseq=True)
    item = {
        "clientId": client_id,
        "url": server.url + new_url(rel),
        "body": body,
        "queuedAt": timezone.now().isoformat(),
        "name": "Dorian",
        "user": str(user.pk),
        "state": "waiting",
        "told": True,
    }
    return {**item, **overrides}


def _form_posts(page) -> list[dict[str, str]]:
    """The headers of every POST the page sends to the meeting form, as they happen."""
    posts: list[dict[str, str]] = []
    page.on(
        "request",
        lambda request: (
            posts.append(request.headers)
            if request.method == "POST" and "/meetings/new" in request.url
            else None
        ),
    )
    return posts


def test_a_form_refused_online_leaves_nothing_on_the_phone(browser, browser_server, world, rel):
    """Online, a form with errors (0 minutes) with a private note and a concern is sent once
    and comes back with its errors; the phone's copy is deleted, not sent again, and after
    "Cancel" no page says a meeting was not accepted."""
    context, page = open_form(browser, browser_server, world.mentor_a, rel)
    posts = _form_posts(page)
    fill(page, minutes="0")
    page.get_by_label("Private notes").fill("PRIVATE-XYZZY")
    page.get_by_label("Concern").fill("CONCERN-FROBOZZ")
    page.get_by_role("button", name="Log meeting").click()
    expect(page.locator(".is-invalid, .invalid-feedback").first).to_be_visible()
    assert wait_for_outbox(page, lambda items: not items) == []
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", name="Log a meeting")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    assert page.evaluate(READ_OUTBOX) == []
    expect(page.locator("[data-outbox-note]")).to_have_count(0)
    assert len(posts) == 1 and "x-tandem-outbox" not in posts[0]
    assert not Meeting.objects.exists()
    context.close()


def test_a_form_logged_online_is_sent_once(browser, browser_server, world, rel):
    """Online, a good form is sent once: the page it lands on tells the phone it is logged,
    so the phone deletes its copy instead of sending it a second time."""
    context, page = open_form(browser, browser_server, world.mentor_a, rel)
    posts = _form_posts(page)
    fill(page)
    page.get_by_role("button", name="Log meeting").click()
    expect(page.get_by_text("Meeting logged.")).to_be_visible()
    assert wait_for_outbox(page, lambda items: not items) == []
    page.wait_for_load_state("networkidle")
    assert len(posts) == 1 and "x-tandem-outbox" not in posts[0]
    assert Meeting.objects.filter(relationship=rel).count() == 1
    context.close()


def test_logging_out_deletes_only_this_logins_meetings(browser, browser_server, world, rel):
    """Another login's meeting on the same phone is neither counted nor deleted when this
    mentor logs out; logged out, the page of saved meetings gives only a count, with no
    names and nothing to delete. A meeting kept for days says how long it has waited."""
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    log_in(context, browser_server, world.mentor_a)
    page = context.new_page()
    page.goto(browser_server.url + reverse("core:offline"))
    three_days = (timezone.now() - datetime.timedelta(days=3, minutes=5)).isoformat()
    mine = _kept(browser_server, rel, world.mentor_a, str(uuid.uuid4()), state="refused")
    mine["queuedAt"] = three_days
    theirs = _kept(browser_server, rel, world.coordinator_a, str(uuid.uuid4()), name="Zebedee")
    page.evaluate(PUT_OUTBOX, [mine, theirs])
    page.reload()
    expect(page.get_by_text("1 meeting is waiting on this phone.")).to_be_visible()
    expect(page.get_by_text("(3 days ago)")).to_be_visible()
    expect(page.get_by_text("1 more meeting belongs to another login")).to_be_visible()
    expect(page.get_by_text("Zebedee")).to_have_count(0)

    questions: list[str] = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(browser_server.url + reverse("login"))
    assert questions == [
        "You have 1 meeting saved on this phone that has not been sent. Log out and delete it?"
    ]
    assert [item["clientId"] for item in page.evaluate(READ_OUTBOX)] == [theirs["clientId"]]

    page.goto(browser_server.url + reverse("core:offline"))
    expect(page.get_by_text("1 meeting is waiting on this phone. It is sent once")).to_be_visible()
    expect(page.get_by_text("Zebedee")).to_have_count(0)
    expect(page.get_by_role("button", name="Delete from this phone")).to_have_count(0)
    context.close()


def test_one_failing_meeting_holds_up_no_other(browser, browser_server, world, rel):
    """Brought back to the screen, the phone sends what waits. A server error, a redirect to
    somewhere else and "too many requests" keep those meetings for later, without stopping
    the next one, which is logged; a meeting failing with a server error a fifth time is
    kept for the mentor to open instead."""
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    log_in(context, browser_server, world.mentor_a)
    page = context.new_page()
    page.goto(browser_server.url + reverse("relationships:my_mentees"))
    page.wait_for_load_state("networkidle")
    ids = [f"0000000{n}-0000-4000-8000-000000000000" for n in range(1, 5)]
    ids.append("ffffffff-0000-4000-8000-000000000000")  # sent last (kept in key order)
    answers = {
        ids[0]: {"status": 500},
        ids[1]: {"status": 302, "headers": {"Location": "/"}},
        ids[2]: {"status": 429},
        ids[3]: {"status": 500},
    }

    def answer(route) -> None:
        sent = urllib.parse.parse_qs(route.request.post_data or "").get("client_id", [""])[0]
        route.fulfill(**answers[sent]) if sent in answers else route.continue_()

    page.route("**/meetings/new/", answer)
    items = [_kept(browser_server, rel, world.mentor_a, client_id) for client_id in ids]
    items[3]["failures"] = 4
    page.evaluate(PUT_OUTBOX, items)
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    kept = wait_for_outbox(page, lambda items: len(items) == 4)
    assert Meeting.objects.filter(client_id=ids[4]).count() == 1
    assert {item["clientId"]: item["state"] for item in kept} == {
        ids[0]: "waiting",
        ids[1]: "waiting",
        ids[2]: "waiting",
        ids[3]: "refused",
    }
    context.close()


def test_logging_out_sends_what_can_go_before_asking(browser, browser_server, world, rel):
    """Online, a meeting waiting on the phone is sent before logging out counts what is
    left: it is logged, and nothing is offered for deletion."""
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    log_in(context, browser_server, world.mentor_a)
    page = context.new_page()
    page.goto(browser_server.url + reverse("relationships:my_mentees"))
    page.wait_for_load_state("networkidle")
    client_id = str(uuid.uuid4())
    page.evaluate(PUT_OUTBOX, [_kept(browser_server, rel, world.mentor_a, client_id)])
    questions: list[str] = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(browser_server.url + reverse("login"))
    assert questions == []
    assert Meeting.objects.filter(client_id=client_id).count() == 1
    assert page.evaluate(READ_OUTBOX) == []
    context.close()
