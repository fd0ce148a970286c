"""Planning a meeting, moving it and cancelling it ahead of time: who may, when, and what each
leaves behind (the plan, its audit event, a reminder to come again)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from relationships.meetings.plan_services import (
    PLAN_IN_PAST,
    PLAN_ON_CLOSED,
    plan_cancel,
    plan_meeting,
    plan_move,
)
from relationships.models import Meeting, PlannedMeeting, Relationship
from relationships.tests.plan_factories import PlannedMeetingFactory
from relationships.tests.plan_kit import soon

PS = PlannedMeeting.Status
pytestmark = pytest.mark.django_db


def _plan(world, by=None, **kw) -> PlannedMeeting:
    args = {
        "relationship": world.relationship_a,
        "by": by or world.mentor_a,
        "starts_at": soon(2),
        "mode": Meeting.Mode.FACE_TO_FACE,
        "place": PlannedMeeting.Place.COMMUNITY_VENUE,
        **kw,
    }
    return plan_meeting(**args)


def test_the_mentor_plans_a_meeting_and_it_is_audited(world):
    """The mentor plans a meeting: it waits, names who planned it, and the trail holds its
    time, mode and kind of place."""
    plan = _plan(world)
    assert plan.status == PS.PLANNED and plan.planned_by == world.mentor_a
    event = AuditEvent.objects.get(action="plan.planned", target_id=plan.pk)
    assert event.actor == world.mentor_a
    assert event.detail["starts_at"] == soon(2).isoformat()
    assert event.detail["place"] == PlannedMeeting.Place.COMMUNITY_VENUE


def test_a_coordinator_plans_but_a_manager_or_another_scheme_may_not(world):
    """A coordinator of the scheme plans; a manager and another scheme's coordinator are
    refused."""
    assert _plan(world, by=world.coordinator_a).planned_by == world.coordinator_a
    for outsider in (world.manager, world.coordinator_b):
        with pytest.raises(PermissionDenied):
            _plan(world, by=outsider, starts_at=soon(3))


def test_the_same_plan_sent_twice_is_one_plan(world):
    """A double tap plans one meeting, not two."""
    first, second = _plan(world), _plan(world)
    assert first.pk == second.pk
    assert world.relationship_a.planned_meetings.count() == 1


def test_a_meeting_cannot_be_planned_in_the_past(world):
    """A time already gone is refused, in words."""
    with pytest.raises(ValidationError) as refused:
        _plan(world, starts_at=timezone.now() - datetime.timedelta(minutes=1))
    assert refused.value.message_dict == {"starts_at": [PLAN_IN_PAST]}


def test_a_meeting_cannot_be_planned_on_a_closed_relationship(world):
    """A closed relationship takes no more plans."""
    Relationship.objects.filter(pk=world.relationship_a.pk).update(
        status=Relationship.Status.CLOSED,
        closed_on=timezone.localdate(),
        closure_type=Relationship.ClosureType.PLANNED,
        closure_reason=Relationship.ClosureReason.GOALS_ACHIEVED,
        final_review="Goals met.",
        contact_after=Relationship.ContactAfter.NONE,
    )
    with pytest.raises(ValidationError) as refused:
        _plan(world, by=world.coordinator_a)
    assert refused.value.messages == [PLAN_ON_CLOSED]


def test_moving_a_plan_rearms_its_reminder_and_question(world):
    """A plan moved to a new time is reminded of and asked about again: both marks are
    cleared, and the trail holds the old and new times but not the reason's words."""
    plan = PlannedMeetingFactory(relationship=world.relationship_a, starts_at=soon(1))
    PlannedMeeting.objects.filter(pk=plan.pk).update(
        reminded_at=timezone.now(), asked_at=timezone.now()
    )
    moved = plan_move(plan=plan, by=world.mentor_a, starts_at=soon(4), reason="bus strike")
    moved.refresh_from_db()
    assert moved.starts_at == soon(4)
    assert moved.reminded_at is None and moved.asked_at is None
    event = AuditEvent.objects.get(action="plan.moved", target_id=plan.pk)
    assert event.detail["starts_at_was"] == soon(1).isoformat()
    assert event.detail["starts_at"] == soon(4).isoformat()
    assert "bus strike" not in str(event.detail)


def test_a_move_sent_twice_is_one_move(world):
    """A double tap on Move moves the plan once and audits it once."""
    plan = PlannedMeetingFactory(relationship=world.relationship_a, starts_at=soon(1))
    for _ in range(2):
        plan_move(plan=plan, by=world.mentor_a, starts_at=soon(4))
    assert AuditEvent.objects.filter(action="plan.moved", target_id=plan.pk).count() == 1


def test_a_plan_cannot_be_moved_into_the_past_or_once_answered(world):
    """Moving to a time gone, or moving a plan already cancelled, is refused in words."""
    plan = PlannedMeetingFactory(relationship=world.relationship_a)
    with pytest.raises(ValidationError):
        plan_move(plan=plan, by=world.mentor_a, starts_at=timezone.now())
    plan_cancel(plan=plan, by=world.mentor_a, cancelled_by=PS.CANCELLED_BY_MENTOR, reason="ill")
    with pytest.raises(ValidationError) as refused:
        plan_move(plan=plan, by=world.mentor_a, starts_at=soon(5))
    assert "cannot be moved" in refused.value.messages[0]


@pytest.mark.parametrize(
    ("who", "cancelled_by"),
    [
        ("mentor_a", PS.CANCELLED_BY_MENTEE),
        ("mentor_a", PS.CANCELLED_BY_MENTOR),
        ("coordinator_a", PS.CANCELLED_BY_MENTEE),
        ("coordinator_a", PS.CANCELLED_BY_MENTOR),
        ("coordinator_a", PS.CANCELLED_BY_COORDINATOR),
    ],
)
def test_a_plan_is_cancelled_ahead_of_time_saying_by_whom_and_why(world, who, cancelled_by):
    """The mentor records a cancellation by the mentee or themselves, a coordinator any of
    the three; the plan keeps who and why, logs no meeting, and the trail says it."""
    plan = PlannedMeetingFactory(relationship=world.relationship_a)
    by = getattr(world, who)
    plan_cancel(plan=plan, by=by, cancelled_by=cancelled_by, reason="  Job   interview ")
    plan.refresh_from_db()
    assert (plan.status, plan.answered_by, plan.cancel_reason) == (
        cancelled_by,
        by,
        "Job interview",
    )
    assert plan.meeting is None and not Meeting.objects.exists()
    assert AuditEvent.objects.filter(action=f"plan.{cancelled_by}", actor=by).exists()


def test_the_mentor_cannot_record_a_cancellation_by_the_coordinator(world):
    """Only a coordinator says the coordinator called it off."""
    plan = PlannedMeetingFactory(relationship=world.relationship_a)
    with pytest.raises(ValidationError):
        plan_cancel(
            plan=plan, by=world.mentor_a, cancelled_by=PS.CANCELLED_BY_COORDINATOR, reason="x"
        )


def test_a_second_cancel_is_refused_in_words(world):
    """Cancelling a plan already cancelled says what it already is."""
    plan = PlannedMeetingFactory(relationship=world.relationship_a)
    plan_cancel(plan=plan, by=world.mentor_a, cancelled_by=PS.CANCELLED_BY_MENTEE, reason="ill")
    with pytest.raises(ValidationError) as refused:
        plan_cancel(
            plan=plan, by=world.mentor_a, cancelled_by=PS.CANCELLED_BY_MENTOR, reason="again"
        )
    assert refused.value.messages == [
        "This meeting is already recorded as “cancelled by the mentee”, so it cannot change now"
    ]


def test_a_plan_whose_time_has_passed_is_not_cancelled_ahead(world):
    """After its time a plan is answered ("Did it happen?"), not cancelled ahead."""
    plan = PlannedMeetingFactory(
        relationship=world.relationship_a, starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    with pytest.raises(ValidationError) as refused:
        plan_cancel(plan=plan, by=world.mentor_a, cancelled_by=PS.CANCELLED_BY_MENTEE, reason="x")
    assert "Did it happen?" in refused.value.messages[0]


def test_a_manager_cannot_move_or_cancel(world):
    """Managers read plans; they change none."""
    plan = PlannedMeetingFactory(relationship=world.relationship_a)
    with pytest.raises(PermissionDenied):
        plan_move(plan=plan, by=world.manager, starts_at=soon(3))
    with pytest.raises(PermissionDenied):
        plan_cancel(plan=plan, by=world.manager, cancelled_by=PS.CANCELLED_BY_MENTEE, reason="x")
