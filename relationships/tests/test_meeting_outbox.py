"""A meeting the phone kept with no signal, sent later in the background by outbox.js: the
server answers "204 No Content" once it is logged, however often it comes, and the form
again when it is refused, so the phone keeps it for the mentor to open."""

from audit.models import AuditEvent
from conftest import client_for
from relationships.models import Goal, Meeting, Relationship
from relationships.tests.factories import GoalFactory
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


def test_a_resend_after_the_relationship_closed_is_still_logged(world, rel):
    """The phone sends a form again after the relationship closed: the answer is still 204
    (logged), not a 404 the phone would read as "not accepted" and the mentor log twice.
    Sent by hand, it goes to the mentor's home, not the closed relationship's page."""
    client = client_for(world.mentor_a)
    data = form_data()
    assert client.post(new_url(rel), data, headers=OUTBOX).status_code == 204
    Relationship.objects.filter(pk=rel.pk).update(
        status=Relationship.Status.CLOSED, closed_on=rel.matched_on
    )
    again = client.post(new_url(rel), data, headers=OUTBOX)
    assert again.status_code == 204
    by_hand = client.post(new_url(rel), data)  # not to the page the mentor may no longer open
    assert (by_hand.status_code, by_hand["Location"]) == (302, "/")
    assert Meeting.objects.filter(relationship=rel).count() == 1


def test_a_resend_after_a_ticked_goal_ended_is_still_logged(world, rel):
    """A ticked goal that ended since the meeting was logged does not make its resend
    "not accepted"."""
    goal = GoalFactory(relationship=rel)
    client = client_for(world.mentor_a)
    data = form_data(goals=[str(goal.pk)])
    assert client.post(new_url(rel), data, headers=OUTBOX).status_code == 204
    Goal.objects.filter(pk=goal.pk).update(status=Goal.Status.ACHIEVED, closed_on=rel.matched_on)
    assert client.post(new_url(rel), data, headers=OUTBOX).status_code == 204
    assert client.post(new_url(rel), data).status_code == 302
    assert Meeting.objects.filter(relationship=rel).count() == 1


def test_someone_elses_form_sent_again_tells_nothing(world, rel):
    """Another user sending the mentor's form (its client id) to a relationship they may not
    open gets the same 404 as for any form; on another relationship they may write to, the
    form is not taken as theirs. Nothing is logged either way."""
    data = form_data()
    assert client_for(world.mentor_a).post(new_url(rel), data, headers=OUTBOX).status_code == 204
    for user in (world.coordinator_b, world.no_role):
        response = client_for(user).post(new_url(rel), data, headers=OUTBOX)
        assert response.status_code in (403, 404), user
    other = world.relationship_a_other
    response = client_for(world.coordinator_a).post(new_url(other), data, headers=OUTBOX)
    assert response.status_code == 200  # the form, refused: that form logged another meeting
    assert Meeting.objects.count() == 1


def test_a_meeting_from_the_phone_leaves_other_messages_waiting(world, rel):
    """A form sent in the background adds no "Meeting logged." and takes away none of the
    messages the mentor has yet to see."""
    client = client_for(world.mentor_a)
    client.post(new_url(rel), form_data())  # the usual way: "Meeting logged." waits
    assert client.post(new_url(rel), form_data(), headers=OUTBOX).status_code == 204
    page = client.get(detail_url(rel)).content.decode()
    assert page.count("Meeting logged.") == 1


def test_the_page_after_a_logged_form_tells_the_phone_its_client_id_once(world, rel):
    """After a form sent the usual way, the next page tells outbox.js its client id, so the
    phone deletes its copy instead of sending it again; the page after that does not."""
    client = client_for(world.mentor_a)
    data = form_data()
    client.post(new_url(rel), data)
    first = client.get(detail_url(rel)).content.decode()
    assert f'data-outbox-logged="{data["client_id"]}"' in first
    second = client.get(detail_url(rel)).content.decode()
    assert 'data-outbox-logged=""' in second


def test_a_form_refused_when_sent_the_usual_way_is_marked_for_the_phone(world, rel):
    """The form shown again with its errors is marked, so outbox.js deletes the copy it kept
    (what was typed is on the screen); a fresh form is not."""
    client = client_for(world.mentor_a)
    refused = client.post(new_url(rel), form_data(duration="other", duration_other="0"))
    assert "data-outbox-refused" in refused.content.decode()
    assert "data-outbox-refused" not in client.get(new_url(rel)).content.decode()
