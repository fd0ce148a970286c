"""Mentor self-service after review: a shared reflection reaches the scheme's coordinators
only; a mentor who has left reads their profile but changes nothing; a second capacity request
is answered in words, under a lock; a capacity request answered twice is said so; each expiry
reminder sent is audited, and only the reminders of the records due are read."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from audit.selectors import ACTION_LABELS
from conftest import client_for
from schemes.mentors import availability_services, self_services
from schemes.mentors.expiry_reminders import expiry_reminders_send, reminders_due
from schemes.models import CapacityRequest, ExpiryReminder, Mentor, UnavailablePeriod
from schemes.selectors import own_mentor_files
from schemes.tests.factories import DBSCheckFactory, MentorFactory, days_ahead

WORDS = "I found the last session hard."


def _detail(world) -> str:
    return reverse("mentors:detail", args=[world.mentor_file_a.pk])


def test_a_shared_reflection_is_for_the_schemes_coordinators_not_the_manager(world):
    """Shared, the reflection is on the mentor's file for their coordinator and not for the
    manager (who reads every file but supervises nobody); unshared, it is for neither."""
    self_services.reflection_note_save(
        mentor=world.mentor_file_a, by=world.mentor_a, text=WORDS, shared=True
    )
    manager_page = client_for(world.manager).get(_detail(world))
    assert manager_page.status_code == 200
    assert WORDS not in manager_page.content.decode()
    assert WORDS in client_for(world.coordinator_a).get(_detail(world)).content.decode()
    self_services.reflection_note_save(
        mentor=world.mentor_file_a, by=world.mentor_a, text=WORDS, shared=False
    )
    assert WORDS not in client_for(world.coordinator_a).get(_detail(world)).content.decode()
    assert WORDS not in client_for(world.manager).get(_detail(world)).content.decode()


def _leave(mentor: Mentor) -> None:
    Mentor.objects.filter(pk=mentor.pk).update(status=Mentor.Status.LEFT)
    mentor.refresh_from_db()


WRITES = {
    "mentors:own_availability": {"slots": ["1-evening"]},
    "mentors:own_away_add": {"starts_on": days_ahead(40), "ends_on": days_ahead(60)},
    "mentors:own_capacity": {"requested": 3, "reason": "More time"},
    "mentors:own_contact": {"email": "new@example.org", "phone": "07700 900456"},
    "mentors:own_reflection": {"text": "Notes", "shared": "on"},
}


@pytest.mark.parametrize("name", list(WRITES))
def test_a_mentor_who_has_left_cannot_open_or_send_a_page_that_changes_their_file(world, name):
    """Each page that changes the file answers a leaver with 403 and says why in words, to a
    GET and to a valid POST, and nothing is written."""
    _leave(world.mentor_file_a)
    client = client_for(world.mentor_a)
    url = reverse(name, args=[world.mentor_file_a.pk])
    for response in (client.get(url), client.post(url, WRITES[name])):
        assert response.status_code == 403
        assert "You have left this scheme" in response.content.decode()
    assert not AuditEvent.objects.filter(actor=world.mentor_a, action__startswith="mentor.")
    mentor = Mentor.objects.get(pk=world.mentor_file_a.pk)
    assert mentor.email != "new@example.org"
    assert not CapacityRequest.objects.filter(mentor=mentor).exists()


def test_a_mentor_who_has_left_reads_their_profile_with_nothing_to_change(world):
    """The profile still opens, says they have left, and offers no change; removing time away
    is refused too."""
    period = UnavailablePeriod.objects.create(
        mentor=world.mentor_file_a, starts_on=days_ahead(5), ends_on=days_ahead(9)
    )
    _leave(world.mentor_file_a)
    client = client_for(world.mentor_a)
    page = client.get(reverse("mentors:own_detail", args=[world.mentor_file_a.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "can no longer be changed" in text
    for name in [*WRITES, "mentors:own_away_remove"]:
        assert f"/you/{world.mentor_file_a.pk}/{name.split('_', 1)[1]}" not in text
    remove = reverse("mentors:own_away_remove", args=[world.mentor_file_a.pk, period.pk])
    assert client.post(remove).status_code == 403
    assert UnavailablePeriod.objects.filter(pk=period.pk).exists()


def test_the_services_refuse_a_leaver_whoever_calls_them(world):
    """No caller skips the rule: each self-service write refuses a mentor who has left."""
    _leave(world.mentor_file_a)
    own, me = world.mentor_file_a, world.mentor_a
    calls = [
        lambda: self_services.capacity_request_make(mentor=own, by=me, requested=3),
        lambda: self_services.reflection_note_save(mentor=own, by=me, text="x", shared=False),
        lambda: availability_services.mentor_contact_update(
            mentor=own, by=me, email="a@example.org", phone=""
        ),
        lambda: availability_services.mentor_availability_set(mentor=own, by=me, slots=[]),
        lambda: availability_services.mentor_unavailable_period_add(
            mentor=own, by=me, starts_on=days_ahead(3), ends_on=days_ahead(4)
        ),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()


def test_a_paused_mentor_keeps_their_file_up_to_date(world):
    """Paused is a break, not leaving: the mentor still sets their contact details."""
    Mentor.objects.filter(pk=world.mentor_file_a.pk).update(status=Mentor.Status.PAUSED)
    client = client_for(world.mentor_a)
    url = reverse("mentors:own_contact", args=[world.mentor_file_a.pk])
    assert client.post(url, WRITES["mentors:own_contact"]).status_code == 302
    assert Mentor.objects.get(pk=world.mentor_file_a.pk).email == "new@example.org"


def test_your_profile_opens_the_file_of_a_scheme_you_still_mentor_in(world):
    """Someone who left Northgate and mentors at Riverside lands on their Riverside file,
    though Northgate comes first by name."""
    _leave(world.mentor_file_a)
    other = MentorFactory(scheme=world.scheme_b, user=world.mentor_a, active=True)
    assert list(own_mentor_files(world.mentor_a)) == [other, world.mentor_file_a]
    response = client_for(world.mentor_a).get(reverse("mentors:own"))
    assert response.url == reverse("mentors:own_detail", args=[other.pk])


def test_a_second_capacity_request_is_answered_in_words(world):
    """Sent twice (a double tap, two tabs), the second request is refused on the form with
    "You already have a request waiting", not a server error; one request waits."""
    client = client_for(world.mentor_a)
    url = reverse("mentors:own_capacity", args=[world.mentor_file_a.pk])
    assert client.post(url, {"requested": 3}).status_code == 302
    again = client.post(url, {"requested": 4})
    assert again.status_code == 200
    assert "You already have a request waiting" in again.content.decode()
    assert CapacityRequest.objects.filter(mentor=world.mentor_file_a).count() == 1


def test_a_capacity_request_locks_the_mentor_before_looking_for_a_waiting_one(world):
    """Two requests at once queue on the mentor's row: the lock comes before the look for a
    waiting request, so the second one sees the first."""
    with CaptureQueriesContext(connection) as ctx:
        self_services.capacity_request_make(
            mentor=world.mentor_file_a, by=world.mentor_a, requested=3
        )
    sqls = [q["sql"] for q in ctx.captured_queries]
    lock = next(
        i for i, sql in enumerate(sqls) if 'FROM "schemes_mentor"' in sql and "FOR UPDATE" in sql
    )
    look = next(i for i, sql in enumerate(sqls) if 'FROM "schemes_capacityrequest"' in sql)
    assert lock < look


def _said(response) -> str:
    """The last message the response leaves for the next page."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def _decide(client, world, asked, decision: str):
    url = reverse("mentors:capacity_decide", args=[world.mentor_file_a.pk, asked.pk])
    return client.post(url, {"decision": decision})


def test_a_double_tap_on_approve_says_it_was_already_approved(world):
    """The second tap goes back to the file saying "This request was already approved";
    the request is answered once."""
    asked = self_services.capacity_request_make(
        mentor=world.mentor_file_a, by=world.mentor_a, requested=3
    )
    client = client_for(world.coordinator_a)
    assert _decide(client, world, asked, "approve").status_code == 302
    again = _decide(client, world, asked, "approve")
    assert again.url == _detail(world)
    assert _said(again) == "This request was already approved."
    assert AuditEvent.objects.filter(action="mentor.capacity_approved").count() == 1
    assert _said(_decide(client, world, asked, "decline")) == "This request was already approved."
    assert CapacityRequest.objects.get(pk=asked.pk).status == "approved"


def test_an_answer_that_loses_the_race_says_the_request_was_already_declined(world, monkeypatch):
    """Another coordinator declines between the page and the lock: the approval is not an
    error, it says the request was already declined."""
    asked = self_services.capacity_request_make(
        mentor=world.mentor_file_a, by=world.mentor_a, requested=3
    )
    decide = self_services.capacity_request_decide

    def other_got_there_first(**kwargs):
        decide(capacity_request=asked, by=world.coordinator_a, approve=False)
        return decide(**kwargs)

    monkeypatch.setattr(self_services, "capacity_request_decide", other_got_there_first)
    again = _decide(client_for(world.coordinator_a), world, asked, "approve")
    assert _said(again) == "This request was already declined."
    assert Mentor.objects.get(pk=world.mentor_file_a.pk).capacity == 2


DAY = datetime.date(2027, 1, 10)


def _check_expiring(mentor: Mentor, days: int):
    check = mentor.dbs_checks.get()
    check.issued_on = DAY - datetime.timedelta(days=900)
    check.expires_on = DAY + datetime.timedelta(days=days)
    check.save()
    return check


def test_each_expiry_reminder_sent_is_audited_by_ids(world):
    """The audit holds who was reminded of what: the record's kind and id, the stage and the
    days left, with a label in words; nothing is audited when nothing is sent."""
    check = _check_expiring(world.mentor_file_a, 14)
    assert expiry_reminders_send(today=DAY) == 1
    assert expiry_reminders_send(today=DAY) == 0
    (event,) = AuditEvent.objects.filter(action="mentor.expiry_reminded")
    assert event.actor is None and event.target_id == str(world.mentor_file_a.pk)
    assert event.detail == {"record": "dbs_check", "id": check.pk, "stage": "last", "days": 14}
    assert "mentor.expiry_reminded" in ACTION_LABELS


def test_only_the_reminders_of_the_records_due_are_read(world):
    """Reminders sent long ago for other records are not loaded: the look-up of what was
    sent asks only about the records due today."""
    check = _check_expiring(world.mentor_file_a, 60)
    for _ in range(3):
        old = DBSCheckFactory(mentor=MentorFactory(scheme=world.scheme_a, active=True))
        ExpiryReminder.objects.create(dbs_check=old, stage="first", sent_on=DAY)
    with CaptureQueriesContext(connection) as ctx:
        (due,) = reminders_due(DAY)
    assert due.record == check
    looked = [q["sql"] for q in ctx.captured_queries if "schemes_expiryreminder" in q["sql"]]
    assert looked and all(f"IN ({check.pk})" in sql for sql in looked)
