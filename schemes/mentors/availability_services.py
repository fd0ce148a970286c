"""Writes to when a mentor can mentor: their weekly free times and capacity, and the periods
they are away. A mentor makes these writes on their own file too (``self_service``), except a
change of capacity, which they ask for (``schemes.mentors.capacity_services``)."""

import datetime
import re
from collections.abc import Collection

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from audit.services import audit_record
from schemes.mentors.file_writes import refuse_own_file, save_record
from schemes.models import AvailabilitySlot, Mentor, UnavailablePeriod
from schemes.selectors import is_own_mentor_file

#: A phone number as people type one: digits, spaces, a leading +, brackets and dashes, with
#: 7 to 15 digits in all.
PHONE = re.compile(r"\+?[\d ()-]{7,22}")


@transaction.atomic
def mentor_availability_set(
    *, mentor: Mentor, by: User, slots: Collection[tuple[int, str]], capacity: int | None = None
) -> Mentor:
    """Replace the mentor's weekly availability and capacity in one go, as the form shows
    them together (``capacity`` None keeps it). Capacity may drop below their open matches:
    it then stops new matches without ending any. The mentor may set their own free times,
    never their own capacity: that is a coordinator's decision."""
    refuse_own_file(mentor, by, self_service=True)
    if capacity is None:
        capacity = mentor.capacity
    if capacity != mentor.capacity and is_own_mentor_file(by, mentor):
        raise PermissionDenied
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
    refuse_own_file(mentor, by, self_service=True)
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


@transaction.atomic
def mentor_unavailable_period_remove(*, period: UnavailablePeriod, by: User) -> None:
    """Take a period of time away off the file (plans changed, or it was entered wrongly):
    the mentor can be offered mentees on those days again."""
    mentor = period.mentor
    refuse_own_file(mentor, by, self_service=True)
    period_id = period.pk
    period.delete()
    audit_record(
        actor=by,
        action="mentor.unavailable_period_removed",
        target=mentor,
        scheme=mentor.scheme,
        detail={"period": period_id},
    )


@transaction.atomic
def mentor_contact_update(*, mentor: Mentor, by: User, email: str, phone: str) -> Mentor:
    """Change how the scheme reaches the mentor, by the mentor themselves. The audit names
    the fields that changed, never their values."""
    refuse_own_file(mentor, by, self_service=True)
    values = {"email": email.strip(), "phone": " ".join(phone.split())}
    if not values["email"] and not values["phone"]:
        raise ValidationError(
            {"email": "Give an email address or a phone number, so your coordinator can reach you"}
        )
    digits = sum(c.isdigit() for c in values["phone"])
    if values["phone"] and not (PHONE.fullmatch(values["phone"]) and 7 <= digits <= 15):
        raise ValidationError({"phone": "Enter a phone number, like 07700 900123"})
    changed = sorted(name for name, value in values.items() if getattr(mentor, name) != value)
    if not changed:
        return mentor
    for name, value in values.items():
        setattr(mentor, name, value)
    mentor.full_clean()
    mentor.save(update_fields=changed)
    audit_record(
        actor=by,
        action="mentor.contact_changed",
        target=mentor,
        scheme=mentor.scheme,
        detail={"fields": changed},
    )
    return mentor
