"""A concern's life: raised on the meeting form or by a coordinator, acknowledged, acted on
and closed with an outcome; every step audited, and the database refusing a concern that
skips one."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import MembershipFactory
from audit.models import AuditEvent
from concerns.models import ActionKind, Category, Concern, Outcome, Urgency
from concerns.services import concern_acknowledge, concern_action_add, concern_close
from concerns.tests.kit import (
    ACTION_NOTE,
    CLOSING_NOTE,
    WORDS,
    raised_by_coordinator,
    raised_on_a_meeting,
)
from conftest import client_for
from core.models import Notification
from relationships.models import Meeting
from relationships.tests.meeting_kit import form_data, new_url


def events(concern: Concern) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type="concerns.concern", target_id=str(concern.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_a_concern_on_the_meeting_form_is_a_concern_with_its_kind_and_deadline(world):
    """The mentor's words, kind and urgency are one Concern, tied to the meeting, its
    relationship and mentee; an urgent one is due within four hours (the scheme allows six);
    the meeting keeps no copy."""
    world.scheme_a.concern_acknowledge_hours = 6
    world.scheme_a.save()
    response = client_for(world.mentor_a).post(
        new_url(world.relationship_a),
        form_data(concern=WORDS, concern_category=Category.RISK_TO_MENTOR, concern_urgency="today"),
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(relationship=world.relationship_a)
    concern = Concern.objects.get()
    assert (concern.meeting, concern.relationship, concern.mentee) == (
        meeting,
        world.relationship_a,
        world.mentee_a,
    )
    assert concern.words == WORDS and concern.category == Category.RISK_TO_MENTOR
    assert concern.urgency == Urgency.TODAY and concern.raised_by == world.mentor_a
    assert concern.status == Concern.Status.RECEIVED
    assert concern.due_at - concern.raised_at == datetime.timedelta(hours=4)
    assert not hasattr(Meeting, "concern_text") and "concern" not in {
        f.attname for f in Meeting._meta.concrete_fields
    }
    assert events(concern) == ["concern.raised"]


def test_words_without_a_kind_are_refused_in_the_mentors_words(world):
    """A concern written with no kind chosen: nothing is logged, and the form says what to
    do next to the question."""
    response = client_for(world.mentor_a).post(
        new_url(world.relationship_a), form_data(concern=WORDS, concern_category=None)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["concern_category"] == [
        "Select what kind of concern it is"
    ]
    assert not Meeting.objects.exists() and not Concern.objects.exists()


def test_a_kind_without_words_is_no_concern(world):
    """A kind ticked with the box left empty raises nothing."""
    response = client_for(world.mentor_a).post(
        new_url(world.relationship_a), form_data(concern_category=Category.OTHER)
    )
    assert response.status_code == 302
    assert not Concern.objects.exists() and not Notification.objects.exists()


def test_a_coordinator_records_a_concern_from_the_relationship_page(world):
    """ "Record a concern" on the relationship page ties it to that relationship and opens
    the concern's page; the scheme's other coordinators are told, not the one who wrote it."""
    client = client_for(world.coordinator_a)
    page = client.get(reverse("relationships:detail", args=[world.relationship_a.pk]))
    link = (
        reverse("concerns:new", args=[world.mentee_a.pk])
        + f"?relationship={world.relationship_a.pk}"
    )
    assert link in page.content.decode()
    response = client.post(
        link, {"category": Category.RISK_TO_OTHERS, "urgency": Urgency.ROUTINE, "words": WORDS}
    )
    concern = Concern.objects.get()
    assert response["Location"] == concern.get_absolute_url()
    assert concern.relationship == world.relationship_a and concern.meeting is None
    assert concern.raised_by == world.coordinator_a
    assert not Notification.objects.filter(recipient=world.coordinator_a).exists()


def test_the_coordinators_form_says_what_is_missing(world):
    """Nothing chosen and nothing written: each question says what to do, in its words."""
    url = reverse("concerns:new", args=[world.mentee_a.pk])
    errors = client_for(world.coordinator_a).post(url, {}).context["form"].errors
    assert errors["category"] == ["Select what kind of concern it is"]
    assert errors["words"] == ["Say what the concern is"]
    assert not Concern.objects.exists()


def test_every_step_of_a_concern_is_audited(world):
    """Raised, viewed, acknowledged, an action, closed: each writes its event, by its actor."""
    concern = raised_on_a_meeting(world.mentor_a, world.relationship_a)
    client = client_for(world.coordinator_a)
    url = concern.get_absolute_url()
    assert client.get(url).status_code == 200
    client.post(reverse("concerns:acknowledge", args=[concern.pk]))
    client.post(
        reverse("concerns:action", args=[concern.pk]),
        {
            "action-kind": ActionKind.INFORMED_PROBATION,
            "action-taken_on": timezone.localdate().isoformat(),
            "action-note": ACTION_NOTE,
        },
    )
    client.post(
        reverse("concerns:close", args=[concern.pk]),
        {"close-outcome": Outcome.REFERRED, "close-note": CLOSING_NOTE},
    )
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED and concern.outcome == Outcome.REFERRED
    assert concern.acknowledged_by == concern.closed_by == world.coordinator_a
    assert concern.actions.get().note == ACTION_NOTE
    assert events(concern) == [
        "concern.raised",
        "concern.viewed",
        "concern.acknowledged",
        "concern.action_added",
        "concern.closed",
    ]
    actors = AuditEvent.objects.filter(target_id=str(concern.pk), target_type="concerns.concern")
    assert {e.actor for e in actors.exclude(action="concern.raised")} == {world.coordinator_a}
    for event in actors:  # the trail holds codes and ids, never the words
        assert "GRUE" not in str(event.detail) and "ZORKMID" not in str(event.detail)


def test_acting_on_or_closing_a_concern_nobody_acknowledged_acknowledges_it_first(world):
    """Whoever records an action has read the concern: it is acknowledged by them, then."""
    concern = raised_by_coordinator(world.coordinator_b, world.mentee_a)
    concern_action_add(
        by=world.coordinator_a,
        concern=concern,
        kind=ActionKind.CALLED_MENTEE,
        taken_on=timezone.localdate(),
    )
    concern.refresh_from_db()
    assert concern.status == Concern.Status.ACKNOWLEDGED
    assert concern.acknowledged_by == world.coordinator_a
    assert events(concern) == ["concern.raised", "concern.acknowledged", "concern.action_added"]


def test_a_closed_concern_takes_no_more_steps(world):
    concern = raised_by_coordinator(world.coordinator_a, world.mentee_a)
    concern_close(by=world.coordinator_a, concern=concern, outcome=Outcome.RESOLVED, note="Done")
    concern.refresh_from_db()
    with pytest.raises(ValidationError):
        concern_acknowledge(by=world.coordinator_a, concern=concern)
    with pytest.raises(ValidationError):
        concern_close(by=world.coordinator_a, concern=concern, outcome=Outcome.OTHER, note="x")
    with pytest.raises(ValidationError):
        concern_action_add(
            by=world.coordinator_a,
            concern=concern,
            kind=ActionKind.GP,
            taken_on=timezone.localdate(),
        )


def test_an_action_of_another_kind_needs_a_note_and_a_past_date(world):
    concern = raised_by_coordinator(world.coordinator_a, world.mentee_a)
    url = reverse("concerns:action", args=[concern.pk])
    client = client_for(world.coordinator_a)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    errors = (
        client.post(url, {"action-kind": ActionKind.OTHER, "action-taken_on": tomorrow})
        .context["action_form"]
        .errors
    )
    assert "taken_on" in errors
    response = client.post(
        url,
        {"action-kind": ActionKind.OTHER, "action-taken_on": timezone.localdate().isoformat()},
    )
    assert response.context["action_form"].errors["note"] == ["Say what was done"]
    assert not concern.actions.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"status": "closed"},  # no one closed it, no outcome
        {"status": "acknowledged"},  # nobody acknowledged it
        {"words": ""},
        {"outcome": "resolved"},  # an outcome on a concern still waiting
    ],
)
def test_the_database_refuses_a_concern_that_skipped_a_step(world, change):
    """Not only the services: the table's constraints hold a concern's life together."""
    concern = raised_by_coordinator(world.coordinator_a, world.mentee_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Concern.objects.filter(pk=concern.pk).update(**change)


def test_a_routine_concern_is_due_in_the_schemes_time_and_an_urgent_one_sooner(world):
    """Routine: the scheme's hours. Urgent: four hours, or the scheme's if that is shorter."""
    world.scheme_a.concern_acknowledge_hours = 24
    world.scheme_a.save()
    routine = raised_by_coordinator(world.coordinator_a, world.mentee_a, urgency=Urgency.ROUTINE)
    urgent = raised_by_coordinator(world.coordinator_a, world.mentee_a, urgency=Urgency.TODAY)
    assert routine.due_at - routine.raised_at == datetime.timedelta(hours=24)
    assert urgent.due_at - urgent.raised_at == datetime.timedelta(hours=4)
    world.scheme_a.concern_acknowledge_hours = 2
    world.scheme_a.save()
    quick = raised_by_coordinator(world.coordinator_a, world.mentee_a, urgency=Urgency.TODAY)
    assert quick.due_at - quick.raised_at == datetime.timedelta(hours=2)


def test_the_notification_is_urgent_only_when_the_concern_is(world):
    """Coordinators are told of every concern; only an urgent one is flagged urgent in their
    inbox, so "urgent" keeps its meaning."""
    raised_by_coordinator(world.coordinator_b, world.mentee_a, urgency=Urgency.ROUTINE)
    raised_by_coordinator(world.coordinator_b, world.mentee_a, urgency=Urgency.TODAY)
    told = Notification.objects.filter(recipient=world.coordinator_a).order_by("pk")
    assert [n.is_urgent for n in told] == [False, True]


def test_acknowledging_a_concern_settles_everyones_notification_of_it(world):
    """Once one coordinator acknowledges a concern, the others' notifications asking for it
    are marked read: nobody's inbox keeps asking for what is done."""
    second = MembershipFactory(scheme=world.scheme_a).user
    concern = raised_by_coordinator(world.manager, world.mentee_a)
    asked = Notification.objects.filter(url=concern.get_absolute_url())
    assert {n.recipient for n in asked} >= {world.coordinator_a, second}
    assert all(n.read_at is None for n in asked)
    concern_acknowledge(by=world.coordinator_a, concern=concern)
    assert all(n.read_at is not None for n in asked.all())


def test_an_action_cannot_be_dated_before_the_concern_was_raised(world):
    """A date before the concern existed is refused in words naming the day it was raised."""
    concern = raised_by_coordinator(world.coordinator_a, world.mentee_a)
    with pytest.raises(ValidationError) as refused:
        concern_action_add(
            by=world.coordinator_a,
            concern=concern,
            kind=ActionKind.CALLED_MENTEE,
            taken_on=datetime.date(2020, 1, 1),
        )
    assert "must be on or after" in str(refused.value)


def test_the_schemes_only_coordinator_recording_a_concern_tells_nobody_else(world):
    """The raiser owns it: the managers are not told as if the scheme had no coordinator
    (they hear of it only if it is not acknowledged in time)."""
    concern = raised_by_coordinator(world.coordinator_a, world.mentee_a)
    assert not Notification.objects.filter(url=concern.get_absolute_url()).exists()
    event = AuditEvent.objects.get(action="concern.raised", target_id=str(concern.pk))
    assert event.detail["coordinators_told"] == 0 and event.detail["managers_told"] == 0
