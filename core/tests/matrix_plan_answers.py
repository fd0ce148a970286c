"""The records the "Did it happen?" rows of the permission matrix work on: plans of mentor_a's
relationship and of another mentor's, whose time passed yesterday, made on first use, and
one already answered; and what a valid answer must have changed."""

import datetime
from typing import Any

from django.utils import timezone

from accounts.models import User
from conftest import World
from relationships.meetings.plan_answers import plan_answer_not_held
from relationships.models import Meeting, PlannedMeeting, Relationship


def _yesterday(hour: int) -> datetime.datetime:
    return datetime.datetime.combine(
        timezone.localdate() - datetime.timedelta(days=1),
        datetime.time(hour),
        tzinfo=timezone.get_current_timezone(),
    )


def _plan(world: World, relationship: Relationship, hour: int) -> PlannedMeeting:
    starts_at = _yesterday(hour)
    found = PlannedMeeting.objects.filter(relationship=relationship, starts_at=starts_at).first()
    if found is not None:
        return found
    return PlannedMeeting.objects.create(
        relationship=relationship,
        starts_at=starts_at,
        mode=Meeting.Mode.FACE_TO_FACE,
        place=PlannedMeeting.Place.COMMUNITY_VENUE,
        planned_by=world.coordinator_a,
    )


def own_plan(world: World) -> int:
    """mentor_a's plan for 10:00 yesterday, waiting for its answer."""
    return _plan(world, world.relationship_a, 10).pk


def others_plan(world: World) -> int:
    """Another mentor's plan (scheme A) for 11:00 yesterday, waiting for its answer."""
    return _plan(world, world.relationship_a_other, 11).pk


def answered_plan(world: World) -> int:
    """mentor_a's plan for 09:00 yesterday, answered: the mentee did not turn up."""
    plan = _plan(world, world.relationship_a, 9)
    if plan.is_open:
        plan_answer_not_held(
            plan=plan, by=world.mentor_a, answer=PlannedMeeting.Status.DID_NOT_ATTEND
        )
    return plan.pk


def answered_own(world: World, user: User | None, client: Any) -> None:
    plan = PlannedMeeting.objects.select_related("meeting").get(pk=own_plan(world))
    assert (plan.status, plan.answered_by) == (PlannedMeeting.Status.DID_NOT_ATTEND, user)
    assert plan.meeting is not None and plan.meeting.outcome == Meeting.Outcome.DID_NOT_ATTEND


def answered_others(world: World, user: User | None, client: Any) -> None:
    plan = PlannedMeeting.objects.get(pk=others_plan(world))
    assert (plan.status, plan.answered_by) == (PlannedMeeting.Status.CANCELLED_BY_MENTEE, user)
