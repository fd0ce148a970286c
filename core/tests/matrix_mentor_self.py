"""The records the mentor self-service rows of the permission matrix work on: the world's
mentor's own file (scheme A), another mentor's file in the same scheme (no login), a period
of time away on each, and a capacity request waiting on scheme A's and scheme B's files."""

import datetime
from typing import Any

from django.utils import timezone

from accounts.models import User
from conftest import World
from core.tests.matrix import day
from schemes.models import CapacityRequest, Mentor, ReflectionNote, UnavailablePeriod


def own(world: World) -> dict[str, Any]:
    return {"pk": world.mentor_file_a.pk}


def other(world: World) -> dict[str, Any]:
    """Another mentor's file in the same scheme as the world's mentor."""
    return {"pk": world.relationship_a_other.mentor_id}


def _period(mentor_id: int) -> int:
    start = timezone.localdate() + datetime.timedelta(days=30)
    found = UnavailablePeriod.objects.filter(mentor_id=mentor_id, reason="Exams").first()
    if found is not None:
        return found.pk
    return UnavailablePeriod.objects.create(
        mentor_id=mentor_id,
        starts_on=start,
        ends_on=start + datetime.timedelta(days=20),
        reason="Exams",
    ).pk


def own_period(world: World) -> dict[str, Any]:
    return {**own(world), "period_pk": _period(world.mentor_file_a.pk)}


def other_period(world: World) -> dict[str, Any]:
    """Another mentor's period, asked for under the mentor's own file and under its own."""
    return {**own(world), "period_pk": _period(world.relationship_a_other.mentor_id)}


def period_removed(world: World, user: User | None, client: Any) -> None:
    assert not UnavailablePeriod.objects.filter(mentor=world.mentor_file_a, reason="Exams").exists()


def slots_body(world: World, user: User | None) -> dict[str, Any]:
    return {"slots": ["1-evening", "5-morning"]}


def slots_saved(world: World, user: User | None, client: Any) -> None:
    mentor = Mentor.objects.get(pk=world.mentor_file_a.pk)
    assert [(s.weekday, s.part) for s in mentor.slots.all()] == [(1, "evening"), (5, "morning")]
    assert mentor.capacity == world.mentor_file_a.capacity  # the grid never sets capacity


def away_body(world: World, user: User | None) -> dict[str, Any]:
    return {"starts_on": day(40), "ends_on": day(60), "reason": "Exam season"}


def away_saved(world: World, user: User | None, client: Any) -> None:
    assert UnavailablePeriod.objects.filter(
        mentor=world.mentor_file_a, reason="Exam season", recorded_by=user
    ).exists()


def capacity_body(world: World, user: User | None) -> dict[str, Any]:
    return {"requested": world.mentor_file_a.capacity + 1, "reason": "Exams are over"}


def capacity_asked(world: World, user: User | None, client: Any) -> None:
    asked = CapacityRequest.objects.get(mentor=world.mentor_file_a, status="requested")
    assert asked.requested == world.mentor_file_a.capacity + 1
    assert Mentor.objects.get(pk=world.mentor_file_a.pk).capacity == world.mentor_file_a.capacity


def contact_body(world: World, user: User | None) -> dict[str, Any]:
    return {"email": "new.address@example.org", "phone": "07700 900456"}


def contact_saved(world: World, user: User | None, client: Any) -> None:
    mentor = Mentor.objects.get(pk=world.mentor_file_a.pk)
    assert (mentor.email, mentor.phone) == ("new.address@example.org", "07700 900456")


def reflection_body(world: World, user: User | None) -> dict[str, Any]:
    return {"text": "I want to talk about saying no.", "shared": "on"}


def reflection_saved(world: World, user: User | None, client: Any) -> None:
    note = ReflectionNote.objects.get(mentor=world.mentor_file_a)
    assert (note.text, note.shared) == ("I want to talk about saying no.", True)


def _waiting(mentor: Mentor) -> int:
    found = mentor.capacity_requests.filter(status="requested").first()
    if found is not None:
        return found.pk
    return CapacityRequest.objects.create(mentor=mentor, requested=mentor.capacity + 1).pk


def request_a(world: World) -> dict[str, Any]:
    return {"pk": world.mentor_file_a.pk, "request_pk": _waiting(world.mentor_file_a)}


def request_b(world: World) -> dict[str, Any]:
    return {"pk": world.mentor_file_b.pk, "request_pk": _waiting(world.mentor_file_b)}


def approve_body(world: World, user: User | None) -> dict[str, Any]:
    return {"decision": "approve"}


def approved(world: World, user: User | None, client: Any) -> None:
    b = user is not None and user.pk == world.coordinator_b.pk
    file = world.mentor_file_b if b else world.mentor_file_a
    decided = CapacityRequest.objects.get(mentor=file, status="approved")
    assert decided.decided_by == user
    assert Mentor.objects.get(pk=file.pk).capacity == decided.requested
