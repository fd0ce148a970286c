"""A mentor keeps their own file up to date: their weekly free times, time away and contact
details, but never their vetting, training, references, status, capacity or supervision; a
change of capacity is asked for and decided by a coordinator; a reflection for supervision
is theirs unless they share it, and goes when they leave."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from conftest import client_for
from core.models import Notification
from schemes.mentors import availability_services, self_services, services
from schemes.mentors.transitions import mentor_transition
from schemes.models import CapacityRequest, Mentor, ReflectionNote, UnavailablePeriod
from schemes.tests.factories import MentorFactory, UnavailablePeriodFactory, days_ahead
from schemes.tests.mentor_kit import TODAY


def test_a_mentor_sets_their_own_free_times_and_time_away(world):
    """The mentor's own writes to their availability, time away and contact details go
    through the same services as a coordinator's, audited with the mentor as the author."""
    own, me = world.mentor_file_a, world.mentor_a
    availability_services.mentor_availability_set(mentor=own, by=me, slots=[(2, "evening")])
    period = availability_services.mentor_unavailable_period_add(
        mentor=own, by=me, starts_on=days_ahead(10), ends_on=days_ahead(30), reason="Exams"
    )
    availability_services.mentor_contact_update(
        mentor=own, by=me, email="me@example.org", phone="+44 7700 900123"
    )
    availability_services.mentor_unavailable_period_remove(period=period, by=me)
    own.refresh_from_db()
    assert [(s.weekday, s.part) for s in own.slots.all()] == [(2, "evening")]
    assert (own.email, own.phone, own.capacity) == ("me@example.org", "+44 7700 900123", 2)
    assert not UnavailablePeriod.objects.filter(pk=period.pk).exists()
    actions = set(AuditEvent.objects.filter(actor=me).values_list("action", flat=True))
    assert {
        "mentor.availability_set",
        "mentor.unavailable_period_added",
        "mentor.unavailable_period_removed",
        "mentor.contact_changed",
    } <= actions


def test_the_contact_change_is_audited_by_field_names_only(world):
    """The audit says which contact details changed, never the new address or number."""
    availability_services.mentor_contact_update(
        mentor=world.mentor_file_a, by=world.mentor_a, email="", phone="07700 900999"
    )
    event = AuditEvent.objects.get(action="mentor.contact_changed")
    assert event.detail == {"fields": ["phone"]}
    assert "900999" not in str(event.detail)


@pytest.mark.parametrize("phone", ["12", "call me", "0113 496 0000 0000 0000 1"])
def test_a_phone_number_that_is_not_one_is_refused(world, phone):
    """A phone number needs 7 to 15 digits, written as people write them."""
    with pytest.raises(ValidationError, match="Enter a phone number"):
        availability_services.mentor_contact_update(
            mentor=world.mentor_file_a, by=world.mentor_a, email="", phone=phone
        )


def test_a_mentor_cannot_set_their_own_capacity_or_vet_themselves(world):
    """Self-writes stop at availability, time away and contact details: their capacity, their
    details as a whole and their status stay refused (the rest: test_mentor_records)."""
    own, me = world.mentor_file_a, world.mentor_a
    with pytest.raises(PermissionDenied):
        availability_services.mentor_availability_set(mentor=own, by=me, slots=[], capacity=5)
    profile = {name: getattr(own, name) for name in services.PROFILE_FIELDS}
    with pytest.raises(PermissionDenied):
        services.mentor_update(mentor=own, by=me, **{**profile, "family_name": "Else"})
    assert Mentor.objects.get(pk=own.pk).capacity == 2


def test_a_capacity_request_waits_for_a_coordinator_who_approves_it(world):
    """The mentor asks; their coordinators are told; an approval changes the capacity through
    the availability service, with the coordinator as its author, and the mentor is told."""
    own = world.mentor_file_a
    asked = self_services.capacity_request_make(
        mentor=own, by=world.mentor_a, requested=3, reason="Exams are over"
    )
    assert Mentor.objects.get(pk=own.pk).capacity == 2
    told = Notification.objects.get(recipient=world.coordinator_a)
    assert "capacity to 3" in told.subject and told.url.endswith(f"/mentors/{own.pk}/")
    with pytest.raises(ValidationError, match="already have a request waiting"):
        self_services.capacity_request_make(mentor=own, by=world.mentor_a, requested=4)
    self_services.capacity_request_decide(
        capacity_request=asked, by=world.coordinator_a, approve=True
    )
    asked.refresh_from_db()
    assert (asked.status, asked.decided_by) == ("approved", world.coordinator_a)
    assert Mentor.objects.get(pk=own.pk).capacity == 3
    assert AuditEvent.objects.filter(
        action="mentor.availability_set", actor=world.coordinator_a
    ).exists()
    assert Notification.objects.filter(recipient=world.mentor_a, subject__contains="approved")


def test_a_declined_request_leaves_the_capacity_and_cannot_be_answered_twice(world):
    """A decline changes nothing but the request; an answered request stays answered."""
    asked = self_services.capacity_request_make(
        mentor=world.mentor_file_a, by=world.mentor_a, requested=1
    )
    self_services.capacity_request_decide(
        capacity_request=asked, by=world.coordinator_a, approve=False
    )
    with pytest.raises(ValidationError, match="already “declined”"):
        self_services.capacity_request_decide(
            capacity_request=asked, by=world.coordinator_a, approve=True
        )
    assert Mentor.objects.get(pk=world.mentor_file_a.pk).capacity == 2
    assert CapacityRequest.objects.get(pk=asked.pk).status == "declined"


def test_only_the_schemes_coordinator_decides_and_only_the_mentor_asks(world):
    """Another scheme's coordinator and the manager cannot decide; nobody asks for a mentor."""
    asked = self_services.capacity_request_make(
        mentor=world.mentor_file_a, by=world.mentor_a, requested=3
    )
    for who in (world.coordinator_b, world.manager, world.mentor_a):
        with pytest.raises(PermissionDenied):
            self_services.capacity_request_decide(capacity_request=asked, by=who, approve=True)
    with pytest.raises(PermissionDenied):
        self_services.capacity_request_make(
            mentor=world.mentor_file_a, by=world.coordinator_a, requested=4
        )


def test_the_reflection_is_seen_by_the_coordinator_only_when_shared(world):
    """Unshared, the reflection is not on the mentor's file for the coordinator; shared, it is.
    Its words are never in the audit."""
    url = reverse("mentors:detail", args=[world.mentor_file_a.pk])
    words = "I found the last session hard."
    self_services.reflection_note_save(
        mentor=world.mentor_file_a, by=world.mentor_a, text=words, shared=False
    )
    assert words not in client_for(world.coordinator_a).get(url).content.decode()
    self_services.reflection_note_save(
        mentor=world.mentor_file_a, by=world.mentor_a, text=words, shared=True
    )
    assert words in client_for(world.coordinator_a).get(url).content.decode()
    assert words not in str(list(AuditEvent.objects.values_list("detail", flat=True)))
    with pytest.raises(PermissionDenied):
        self_services.reflection_note_save(
            mentor=world.mentor_file_a, by=world.coordinator_a, text="Mine", shared=True
        )


def test_a_mentor_who_leaves_loses_their_reflection(world):
    """The reflection is for a next supervision a leaver will not have: it is deleted."""
    self_services.reflection_note_save(
        mentor=world.mentor_file_a, by=world.mentor_a, text="Notes", shared=True
    )
    mentor_transition(
        by=world.coordinator_a, mentor=world.mentor_file_a, to_status="left", on=TODAY()
    )
    assert not ReflectionNote.objects.exists()


def test_the_profile_page_says_the_dates_in_plain_words(world):
    """The mentor reads their DBS expiry as a date and a count of days, and sees their time
    away; another mentor's profile is 404 to them."""
    check = world.mentor_file_a.dbs_checks.get()
    check.expires_on = days_ahead(45)
    check.save()
    UnavailablePeriodFactory(mentor=world.mentor_file_a, reason="Exam season")
    client = client_for(world.mentor_a)
    body = client.get(reverse("mentors:own_detail", args=[world.mentor_file_a.pk])).content
    text = body.decode()
    assert f"expires on {days_ahead(45):%-d %B %Y}, in 45 days" in text
    assert "Exam season" in text
    other = MentorFactory(scheme=world.scheme_a, active=True)
    assert client.get(reverse("mentors:own_detail", args=[other.pk])).status_code == 404


def test_no_report_or_export_reads_the_reflection():
    """The reflection is the mentor's own: no report, export or subject-access record reads
    it (the words appear nowhere in their code)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    readers = [*(root / "reports").rglob("*.py"), *(root / "privacy").rglob("*.py")]
    found = [
        str(path.relative_to(root))
        for path in readers
        if "tests" not in path.parts
        and path.name != "anonymise.py"  # names it as kept, about the mentor
        and ("ReflectionNote" in path.read_text() or "reflection" in path.read_text())
    ]
    assert found == []
