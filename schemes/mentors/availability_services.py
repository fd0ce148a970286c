"""Writes to when a mentor can mentor: their weekly free times and capacity, and the periods
they are away."""

import datetime
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from audit.services import audit_record
from schemes.mentors.file_writes import refuse_own_file, save_record
from schemes.models import AvailabilitySlot, Mentor, UnavailablePeriod


@transaction.atomic
def mentor_availability_set(
    *, mentor: Mentor, by: User, slots: Collection[tuple[int, str]], capacity: int
) -> Mentor:
    """Replace the mentor's weekly availability and capacity in one go, as the form shows
    them together. Capacity may drop below their open matches: it then stops new matches
    without ending any."""
    refuse_own_file(mentor, by)
    if capacity < 1:
        raise ValidationError({"capacity": "Capacity must be 1 or more"})
    wanted = {(int(day), str(part)) for day, part in slots}
    for day, part in wanted:
        if day not in AvailabilitySlot.Weekday.values or part not in AvailabilitySlot.Part.values:
            raise ValidationError({"slots": "Choose times from the weekly grid"})
    current = {(s.weekday, s.part): s.pk for s in mentor.slots.all()}
    AvailabilitySlot.objects.filter(
        pk__in=[pk for key, pk in current.items() if key not in wanted]
    ).delete()
    AvailabilitySlot.objects.bulk_create(
        [AvailabilitySlot(mentor=mentor, weekday=d, part=p) for d, p in wanted - current.keys()]
    )
    old_capacity = mentor.capacity
    mentor.capacity = capacity
    mentor.full_clean()
    mentor.save(update_fields=["capacity"])
    audit_record(
        actor=by,
        action="mentor.availability_set",
        target=mentor,
        scheme=mentor.scheme,
        detail={
            "slots": sorted(f"{d}-{p}" for d, p in wanted),
            "capacity": [old_capacity, capacity],
        },
    )
    return mentor


@transaction.atomic
def mentor_unavailable_period_add(
    *,
    mentor: Mentor,
    by: User,
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: str = "",
) -> UnavailablePeriod:
    refuse_own_file(mentor, by)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The last day cannot be before the first day"})
    period = UnavailablePeriod(
        mentor=mentor,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=" ".join(reason.split()),
        recorded_by=by,
    )
    save_record(period, by=by, action="mentor.unavailable_period_added", key="period")
    return period
