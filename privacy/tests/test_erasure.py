"""Erasure on request: a confirm page with a reason, refused while the person is still in
the scheme's care, and never twice."""

import datetime
import html

from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from mentees.models import Mentee
from privacy.services import retention_run
from privacy.tests.people import person_with_everything


def test_a_person_still_referred_cannot_be_erased_until_the_referral_stops(world):
    """Mentee A is matched now: the page says what to do first and offers no button."""
    url = reverse("privacy:erase", args=[world.mentee_a.pk])
    page = client_for(world.manager).get(url).content.decode()
    assert "still open" in page and "Erase the record</button>" not in page
    response = client_for(world.manager).post(url, {"reason": "person_asked"})
    assert response.status_code == 200
    world.mentee_a.refresh_from_db()
    assert world.mentee_a.anonymised_at is None


def test_the_reason_is_required_and_other_needs_a_note(world):
    """No reason: the form says so; "another reason" with no note: it asks for one."""
    person = person_with_everything(
        scheme=world.scheme_a,
        mentor=world.mentor_file_a,
        staff=world.coordinator_a,
        ended_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    url = reverse("privacy:erase", args=[person.mentee.pk])
    client = client_for(world.manager)
    assert "Select why the record is being erased" in client.post(url, {}).content.decode()
    page = client.post(url, {"reason": "other"}).content.decode()
    assert "Say why the record is being erased" in page
    assert client.post(url, {"reason": "person_asked"}).status_code == 302
    page = client.get(url).content.decode()
    assert "already been anonymised" in page
    detail = client.get(reverse("mentees:detail", args=[person.mentee.pk])).content.decode()
    assert "Record anonymised" in detail


def test_an_anonymised_record_offers_and_accepts_no_changes(world):
    """Once anonymised, the coordinator sees no buttons to change it and its edit page is
    refused (403), so the names cannot be typed back in."""
    person = person_with_everything(
        scheme=world.scheme_a,
        mentor=world.mentor_file_a,
        staff=world.coordinator_a,
        ended_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    client_for(world.manager).post(
        reverse("privacy:erase", args=[person.mentee.pk]), {"reason": "person_asked"}
    )
    coordinator = client_for(world.coordinator_a)
    page = coordinator.get(reverse("mentees:detail", args=[person.mentee.pk])).content.decode()
    assert reverse("mentees:edit", args=[person.mentee.pk]) not in page
    assert coordinator.get(reverse("mentees:edit", args=[person.mentee.pk])).status_code == 403


def test_the_note_asks_for_nothing_about_the_person_and_is_short(world):
    """The erase page tells the manager the note outlives the record and must not name the
    person or say anything about them; a long story is refused."""
    person = person_with_everything(
        scheme=world.scheme_a,
        mentor=world.mentor_file_a,
        staff=world.coordinator_a,
        ended_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    url = reverse("privacy:erase", args=[person.mentee.pk])
    client = client_for(world.manager)
    page = html.unescape(client.get(url).content.decode())
    assert "kept after the record is anonymised" in page
    assert "Do not put the person's name or anything about them in it" in page
    response = client.post(url, {"reason": "other", "note": "He asked by letter. " * 10})
    assert response.status_code == 200
    assert "must be 120 characters or fewer" in response.content.decode()
    person.mentee.refresh_from_db()
    assert person.mentee.anonymised_at is None


def test_erasure_on_request_clears_the_equality_answers_and_retention_keeps_them(world):
    """The reference left on an erased record can be mapped back to the person, so their
    gender, ethnicity and disability (special-category data, given by choice) go when they
    ask for erasure; a record anonymised at the end of retention keeps them, so a past
    funder report gives the same breakdown (core/tests/security/test_retention.py)."""
    asked, expired = (
        person_with_everything(
            scheme=world.scheme_a,
            mentor=world.mentor_file_a,
            staff=world.coordinator_a,
            ended_on=timezone.localdate() - datetime.timedelta(days=days),
        )
        for days in (3, 365 * 7)
    )
    answers = {"gender": "woman", "ethnicity": "white_irish", "disability": "yes"}
    for person in (asked, expired):
        Mentee.objects.filter(pk=person.mentee.pk).update(
            **answers, equality_answered_on=timezone.localdate()
        )
    url = reverse("privacy:erase", args=[asked.mentee.pk])
    assert client_for(world.manager).post(url, {"reason": "person_asked"}).status_code == 302
    retention_run()
    fields = ["gender", "ethnicity", "disability", "equality_answered_on"]
    erased = Mentee.objects.values(*fields).get(pk=asked.mentee.pk)
    assert erased == dict.fromkeys(answers, "") | {"equality_answered_on": None}
    kept = Mentee.objects.values(*fields).get(pk=expired.mentee.pk)
    assert kept == answers | {"equality_answered_on": None}
    assert Mentee.objects.get(pk=expired.mentee.pk).anonymised_at is not None
