"""What the planned-meeting rows of the permission matrix share: a plan of a relationship,
the bodies the forms accept, and how to tell each write happened."""

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from accounts.models import User
from conftest import World
from core.tests.matrix_relationships import PickRelationship
from relationships.models import Meeting, PlannedMeeting

PS = PlannedMeeting.Status


def in_days(days: int, hour: int = 15) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def when(days: int) -> dict[str, str]:
    """A date and time ``days`` ahead, as the plan forms take them."""
    at = in_days(days)
    return {"date": at.date().isoformat(), "time": at.strftime("%H:%M")}


def plan_of(pick: PickRelationship) -> Callable[[World], dict[str, Any]]:
    """A waiting plan of the relationship, two days ahead (made for the row, rolled back
    with its case)."""

    def kwargs(world: World) -> dict[str, Any]:
        relationship = pick(world)
        plan = PlannedMeeting.objects.filter(relationship=relationship, status=PS.PLANNED).first()
        if plan is None:
            plan = PlannedMeeting.objects.create(
                relationship=relationship,
                starts_at=in_days(2),
                mode=Meeting.Mode.FACE_TO_FACE,
                place=PlannedMeeting.Place.COMMUNITY_VENUE,
                planned_by=world.coordinator_a,
            )
        return {"pk": plan.pk}

    return kwargs


NEW_PLAN = {
    **when(4),
    "mode": Meeting.Mode.PHONE,
    "place": PlannedMeeting.Place.PHONE,
}
CANCEL = {"cancelled_by": PS.CANCELLED_BY_MENTEE, "reason": "Job interview that day"}


def planned(pick: PickRelationship) -> Callable[[World, User | None, Any], None]:
    def done(world: World, user: User | None, client: Any) -> None:
        plan = PlannedMeeting.objects.get(relationship=pick(world), planned_by=user)
        assert (plan.starts_at, plan.mode) == (in_days(4), Meeting.Mode.PHONE)

    return done


def moved(pick: PickRelationship) -> Callable[[World, User | None, Any], None]:
    def done(world: World, user: User | None, client: Any) -> None:
        assert PlannedMeeting.objects.filter(
            relationship=pick(world), status=PS.PLANNED, starts_at=in_days(6)
        ).exists()

    return done


def cancelled(pick: PickRelationship) -> Callable[[World, User | None, Any], None]:
    def done(world: World, user: User | None, client: Any) -> None:
        plan = PlannedMeeting.objects.get(relationship=pick(world), answered_by=user)
        assert (plan.status, plan.cancel_reason) == (PS.CANCELLED_BY_MENTEE, CANCEL["reason"])

    return done
