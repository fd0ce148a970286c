"""A mentor with no signal, on a 390x844 phone: the meeting they log stays on the phone and is
sent, once, when the connection returns; one the server refuses is kept for them to open;
logging out with meetings still on the phone asks first. The queued form goes to
test-results/screenshots/offline-*.png."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.tests.running import PHONE, log_in
from relationships.models import Meeting
from relationships.tests.offline_kit import (
    CONCERN_WAITS,
    READ_OUTBOX,
    SAVED,
    SHOTS,
    fill,
    open_form,
    wait_for_outbox,
    wait_until_sent,
)

pytestmark = pytest.mark.browser


def test_a_meeting_logged_offline_is_kept_on_the_phone_and_sent_once(
    browser, browser_server, world, rel
):
    """Offline, "Log meeting" keeps the form on the phone and says so, and the server has no
    meeting; back online, it is sent without a tap and deleted from the phone. Sent again
    (another page loading at the same moment, and the same form posted once more), it is
    still one meeting."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context, page = open_form(browser, browser_server, world.mentor_a, rel)
    client_id = page.locator("input[name=client_id]").input_value()

    context.set_offline(True)
    fill(page)
    page.get_by_role("button", name="Log meeting").click()
    status = page.locator("[data-outbox-status]")
    expect(status).to_have_text(SAVED)
    expect(status).to_have_attribute("role", "status")
    expect(page.get_by_role("button", name="Saved on this phone")).to_be_disabled()
    page.screenshot(path=SHOTS / "offline-1-saved-phone.png", full_page=True)
    status.screenshot(path=SHOTS / "offline-1-saved-status-phone.png")
    kept = page.evaluate(READ_OUTBOX)
    assert [(item["clientId"], item["name"], item["state"]) for item in kept] == [
        (client_id, "Dorian", "waiting")
    ]
    assert set(kept[0]) == {"clientId", "url", "body", "queuedAt", "name", "user", "state", "told"}
    assert not Meeting.objects.filter(client_id=client_id).exists()

    # Back online: this page sends it, and a second page opening now tries to send it too.
    second = context.new_page()
    context.set_offline(False)
    second.goto(browser_server.url + reverse("relationships:my_mentees"))
    expect(status).to_have_text("Sent: the meeting with Dorian is logged.")
    wait_until_sent(page)
    meeting = Meeting.objects.get(client_id=client_id)
    assert meeting.note_shared == "Walked to the job centre; CV started."
    assert meeting.logged_by == world.mentor_a

    # The same kept form sent once more: the server knows its client id.
    answer = page.evaluate(
        """(body) => fetch(location.href, {method: "POST", body: new URLSearchParams(body)})
            .then((response) => [response.redirected, response.status])""",
        kept[0]["body"],
    )
    assert answer == [True, 200]
    assert Meeting.objects.filter(client_id=client_id).count() == 1
    assert Meeting.objects.filter(relationship=rel).count() == 1
    second.wait_for_load_state("networkidle")  # its own try has finished too
    assert Meeting.objects.filter(relationship=rel).count() == 1
    context.close()


def test_a_refused_meeting_is_kept_and_logging_out_with_it_asks_first(
    browser, browser_server, world, rel
):
    """A kept meeting the server refuses (a time before the match, which the phone does not
    check) is not lost: every page says it is
    waiting, with a word that its concern has not reached the coordinator. Logging out asks
    first, and cancelling keeps the mentor logged in. "Open it" shows the form with what to
    change, and the phone's copy goes (what was typed is on the screen): logging out then
    asks nothing."""
    context, page = open_form(browser, browser_server, world.mentor_a, rel)
    context.set_offline(True)
    fill(page, note="Kept note: PLUGH")
    page.get_by_label("When").fill("2000-01-01T10:00")
    page.get_by_label("Concern").fill("Threatened at the hostel.")
    page.get_by_text("Safeguarding the mentee", exact=True).click()
    page.get_by_role("button", name="Log meeting").click()
    status = page.locator("[data-outbox-status]")
    expect(status).to_have_text(f"{SAVED}. {CONCERN_WAITS}")
    context.set_offline(False)
    expect(status).to_contain_text("Tandem did not accept the meeting with Dorian")
    assert page.evaluate(READ_OUTBOX)[0]["state"] == "refused"
    assert not Meeting.objects.exists()

    page.goto(browser_server.url + reverse("relationships:my_mentees"))
    note = page.locator("[data-outbox-note]")
    expect(note).to_contain_text("1 meeting saved on this phone was not accepted by Tandem.")
    page.screenshot(path=SHOTS / "offline-4-note-on-my-mentees-phone.png")
    note.get_by_role("link", name="See what to change").click()
    expect(page.get_by_role("heading", name="Saved on this phone")).to_be_visible()
    expect(page.get_by_text("1 meeting is waiting on this phone.")).to_be_visible()
    expect(page.get_by_role("listitem").get_by_text(CONCERN_WAITS)).to_be_visible()
    page.screenshot(path=SHOTS / "offline-3-refused-list-phone.png", full_page=True)

    questions: list[str] = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Log out").click()
    for _ in range(100):  # the question comes once the phone's store has been read
        if questions:
            break
        page.wait_for_timeout(100)
    expect(page.get_by_role("button", name="Open it")).to_be_visible()
    assert questions == [
        "You have 1 meeting saved on this phone that has not been sent. Log out and delete it?"
    ]
    assert len(page.evaluate(READ_OUTBOX)) == 1

    page.get_by_role("button", name="Open it").click()
    expect(page.get_by_role("heading", name="Log a meeting")).to_be_visible()
    expect(page.get_by_label("Notes for your coordinator")).to_have_value("Kept note: PLUGH")
    expect(page.locator(".is-invalid, .invalid-feedback").first).to_be_visible()
    assert wait_for_outbox(page, lambda items: not items) == []
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(browser_server.url + reverse("login"))
    assert len(questions) == 1
    assert not Meeting.objects.exists()
    context.close()


def test_a_meeting_whose_send_fails_with_signal_is_kept_and_sent_on_the_next_page(
    browser, browser_server, world, rel
):
    """The phone thinks it is online but the form never reaches Tandem (a dead connection):
    the meeting was kept before it was sent, so the next page that loads sends it."""
    context = browser.new_context(viewport=PHONE, locale="en-GB", service_workers="block")
    log_in(context, browser_server, world.mentor_a)
    page = context.new_page()
    form_url = browser_server.url + reverse("relationships:meeting_new", args=[rel.pk])
    page.goto(form_url)
    client_id = page.locator("input[name=client_id]").input_value()
    page.route(
        form_url,
        lambda route: route.abort() if route.request.method == "POST" else route.continue_(),
    )
    fill(page)
    with page.expect_event("requestfailed") as failed:
        page.get_by_role("button", name="Log meeting").click()
    assert failed.value.method == "POST"
    page.wait_for_url("chrome-error://**")  # the browser's own "no connection" page
    assert not Meeting.objects.filter(client_id=client_id).exists()
    page.unroute(form_url)
    page.goto(browser_server.url + reverse("relationships:my_mentees"))
    assert page.url.endswith(reverse("relationships:my_mentees"))
    wait_until_sent(page)
    assert Meeting.objects.filter(client_id=client_id).count() == 1
    context.close()


def test_a_dead_connection_shows_the_meeting_waiting_and_a_later_page_sends_it(
    browser, browser_server, world, rel
):
    """With the service worker in charge, a form sent into a dead connection shows the page
    of meetings saved on the phone, counting this one (the page kept for no signal names no
    one); the next Tandem page sends it and says so."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context, page = open_form(browser, browser_server, world.mentor_a, rel)
    client_id = page.locator("input[name=client_id]").input_value()
    form_url = page.url
    context.route(
        form_url,
        lambda route: route.abort() if route.request.method == "POST" else route.continue_(),
    )
    fill(page)
    page.get_by_role("button", name="Log meeting").click()
    expect(page.get_by_role("heading", name="Saved on this phone")).to_be_visible()
    # The copy kept for no signal knows nobody: a count, no names, nothing to delete.
    expect(
        page.get_by_text(
            "1 meeting is waiting on this phone. It is sent once you are online and logged in"
        )
    ).to_be_visible()
    expect(page.get_by_text("Tandem could not be reached just now.")).to_be_visible()
    expect(page.get_by_text("Dorian")).to_have_count(0)
    expect(page.get_by_role("button", name="Delete from this phone")).to_have_count(0)
    page.screenshot(path=SHOTS / "offline-5-dead-connection-phone.png", full_page=True)
    assert not Meeting.objects.filter(client_id=client_id).exists()

    context.unroute(form_url)
    page.get_by_role("link", name="Go to Tandem").click()
    expect(page.get_by_role("status").filter(has_text="Sent from this phone")).to_have_text(
        "Sent from this phone: your meeting with Dorian is logged."
    )
    assert Meeting.objects.filter(client_id=client_id).count() == 1
    context.close()


def test_logging_out_with_nothing_on_the_phone_asks_nothing(browser, browser_server, world):
    """With no meetings kept on the phone, "Log out" logs out at once, as before."""
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    log_in(context, browser_server, world.mentor_a)
    page = context.new_page()
    page.goto(browser_server.url + reverse("relationships:my_mentees"))
    questions: list[str] = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(browser_server.url + reverse("login"))
    assert questions == []
    context.close()
