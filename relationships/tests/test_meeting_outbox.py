"""A meeting the phone kept with no signal, sent later in the background by outbox.js: the
server answers "204 No Content" once it is logged, however often it comes, and the form
again when it is refused, so the phone keeps it for the mentor to open."""

from audit.models import AuditEvent
from conftest import client_for
from relationships.models import Meeting
from relationships.tests.meeting_kit import detail_url, form_data, new_url

OUTBOX = {"X-Tandem-Outbox": "1"}


def test_a_meeting_sent_from_the_phone_is_logged_once_with_no_page(world, rel):
    """Sent twice from the phone, it is one meeting; each answer is 204 with no page, and no
    "Meeting logged." waits for the next page the mentor opens."""
    client = client_for(world.mentor_a)
    data = form_data(note_shared="Kept on the phone at the prison gate.")
    first = client.post(new_url(rel), data, headers=OUTBOX)
    again = client.post(new_url(rel), data, headers=OUTBOX)
    assert (first.status_code, again.status_code) == (204, 204)
    assert first.content == b""
    meeting = Meeting.objects.get(client_id=data["client_id"])
    assert meeting.note_shared == "Kept on the phone at the prison gate."
    assert AuditEvent.objects.filter(action="meeting.logged").count() == 1
    assert not AuditEvent.objects.filter(action="relationship.viewed").exists()
    page = client.get(detail_url(rel)).content.decode()
    assert "Meeting logged." not in page


def test_a_meeting_the_server_refuses_comes_back_as_the_form(world, rel):
    """A kept form the server cannot accept (0 minutes) is answered with the form and its
    errors, not 204, so the phone keeps it; nothing is logged."""
    client = client_for(world.mentor_a)
    data = form_data(duration="other", duration_other="0")
    response = client.post(new_url(rel), data, headers=OUTBOX)
    assert response.status_code == 200
    assert "Log a meeting" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_meeting_sent_after_the_session_ended_goes_to_the_login_page(world, rel):
    """Logged out meanwhile: the answer is the login page (which the phone reads as "later"),
    and nothing is logged."""
    response = client_for(None).post(new_url(rel), form_data(), headers=OUTBOX)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Meeting.objects.exists()


def test_a_meeting_sent_by_the_form_itself_still_goes_to_the_timeline(world, rel):
    """Without the outbox's header (the form sent the usual way) the answer is unchanged."""
    response = client_for(world.mentor_a).post(new_url(rel), form_data())
    assert response.status_code == 302
    assert response["Location"].startswith(detail_url(rel))
