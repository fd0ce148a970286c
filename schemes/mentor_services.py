"""Every write to a mentor's file: the pipeline, vetting, training, references, availability
and supervision. Each service validates in plain words and leaves an audit event."""

import datetime
from collections.abc import Collection, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from core.services import apply_changes
from schemes.mentor_transitions import mentor_transition
from schemes.models import (
    AvailabilitySlot,
    DBSCheck,
    Mentor,
    MentorStatusChange,
    PrisonClearance,
    Reference,
    Scheme,
    SupervisionSession,
    TrainingRecord,
    UnavailablePeriod,
    postcode_district,
)
from schemes.selectors import is_own_mentor_file


def _refuse_own_file(mentor: Mentor, by: User) -> None:
    """Nobody vets, supervises or promotes themselves: whatever role ``by`` holds, they do not
    write their own file (a coordinator who also mentors, say). Every write to a file calls
    this, so no caller can skip it; ``mentor_for_write`` answers the pages with the same 403."""
    if is_own_mentor_file(by, mentor):
        raise PermissionDenied


def _not_in_future(field: str, value: datetime.date, what: str) -> None:
    if value > timezone.localdate():
        raise ValidationError({field: f"The {what} can't be in the future."})


def _words(values: Iterable[str] | None) -> list[str]:
    """Tidy a list typed by a person: trimmed, no blanks, each word once (ignoring case)."""
    seen: dict[str, str] = {}
    for value in values or []:
        value = " ".join(value.split())
        if value and value.casefold() not in seen:
            seen[value.casefold()] = value
    return list(seen.values())


PROFILE_FIELDS = [
    "given_name",
    "family_name",
    "kind",
    "email",
    "phone",
    "home_area",
    "travel_km",
    "languages",
    "interests",
    "skills",
    "gender_self_description",
    "ethnicity_self_description",
]


def _tidy_profile(values: dict[str, Any]) -> dict[str, Any]:
    """The details of a file (``PROFILE_FIELDS``) as typed, tidied for saving: names trimmed,
    the home area as a postcode district, word lists without blanks or repeats."""
    values = dict(values)
    for name in ("given_name", "family_name", "email", "phone"):
        values[name] = str(values[name]).strip()
    for name in ("gender_self_description", "ethnicity_self_description"):
        values[name] = " ".join(str(values[name]).split())
    values["home_area"] = str(values["home_area"]).replace(" ", "").upper()
    if values["home_area"]:
        try:  # checked first, so a long entry gets this one message, not a length error too
            postcode_district(values["home_area"])
        except ValidationError as exc:
            raise ValidationError({"home_area": exc.messages}) from exc
    for name in ("languages", "interests", "skills"):
        values[name] = _words(values[name])
    return values


@transaction.atomic
def mentor_create(
    *,
    by: User,
    scheme: Scheme,
    given_name: str,
    family_name: str,
    applied_on: datetime.date,
    kind: str = Mentor.Kind.VOLUNTEER,
    email: str = "",
    phone: str = "",
    home_area: str = "",
    travel_km: int | None = None,
    languages: list[str] | None = None,
    interests: list[str] | None = None,
    skills: list[str] | None = None,
    gender_self_description: str = "",
    ethnicity_self_description: str = "",
) -> Mentor:
    """Open a file for someone who has applied to mentor. The application is the first step
    of their timeline, and its date is what the time to active is measured from."""
    _not_in_future("applied_on", applied_on, "application date")
    profile = _tidy_profile(
        {
            "given_name": given_name,
            "family_name": family_name,
            "kind": kind,
            "email": email,
            "phone": phone,
            "home_area": home_area,
            "travel_km": travel_km,
            "languages": languages,
            "interests": interests,
            "skills": skills,
            "gender_self_description": gender_self_description,
            "ethnicity_self_description": ethnicity_self_description,
        }
    )
    mentor = Mentor(scheme=scheme, applied_on=applied_on, status_since=applied_on, **profile)
    mentor.full_clean()
    mentor.save()
    MentorStatusChange.objects.create(
        mentor=mentor, from_status="", to_status=Mentor.Status.APPLIED, changed_on=applied_on, by=by
    )
    audit_record(actor=by, action="mentor.created", target=mentor, scheme=scheme)
    return mentor


@transaction.atomic
def mentor_update(
    *,
    mentor: Mentor,
    by: User,
    given_name: str,
    family_name: str,
    kind: str,
    email: str,
    phone: str,
    home_area: str,
    travel_km: int | None,
    languages: list[str],
    interests: list[str],
    skills: list[str],
    gender_self_description: str,
    ethnicity_self_description: str,
) -> Mentor:
    """Change the details on a mentor's file. The pipeline dates are not details: they change
    only through ``mentor_change_status``, so reported waiting times cannot be rewritten."""
    _refuse_own_file(mentor, by)
    profile = _tidy_profile(
        {
            "given_name": given_name,
            "family_name": family_name,
            "kind": kind,
            "email": email,
            "phone": phone,
            "home_area": home_area,
            "travel_km": travel_km,
            "languages": languages,
            "interests": interests,
            "skills": skills,
            "gender_self_description": gender_self_description,
            "ethnicity_self_description": ethnicity_self_description,
        }
    )
    changed = sorted(apply_changes(mentor, profile))
    if not changed:
        return mentor
    mentor.full_clean()
    mentor.save(update_fields=changed)
    audit_record(
        actor=by,
        action="mentor.updated",
        target=mentor,
        scheme=mentor.scheme,
        detail={"fields": changed},
    )
    return mentor


@transaction.atomic
def mentor_change_status(
    *, mentor: Mentor, by: User, to_status: str, on: datetime.date, note: str = ""
) -> Mentor:
    """Move a mentor one step through the pipeline, on a date, and put it on their timeline.

    Nobody moves their own file; the step itself (the pipeline's order, the dates, the DBS
    check for becoming active, the timeline row and audit event) is
    ``schemes.mentor_transitions.mentor_transition``.
    """
    _refuse_own_file(mentor, by)
    return mentor_transition(by=by, mentor=mentor, to_status=to_status, on=on, note=note)


def _check_dates(issued_on: datetime.date, expires_on: datetime.date) -> None:
    _not_in_future("issued_on", issued_on, "issue date")
    if expires_on <= issued_on:
        raise ValidationError({"expires_on": "The expiry date must be after the issue date."})


def _save_record(
    record: DBSCheck
    | PrisonClearance
    | TrainingRecord
    | Reference
    | UnavailablePeriod
    | SupervisionSession,
    *,
    by: User,
    action: str,
    key: str,
) -> None:
    """Validate and save one of a mentor's records, and audit it against the mentor's file
    (so the file's trail shows everything done to it). The detail holds the record's id,
    never its free text."""
    record.full_clean()
    record.save()
    audit_record(
        actor=by,
        action=action,
        target=record.mentor,
        scheme=record.mentor.scheme,
        detail={key: record.pk},
    )


@transaction.atomic
def mentor_dbs_check_add(
    *,
    mentor: Mentor,
    by: User,
    level: str,
    issued_on: datetime.date,
    expires_on: datetime.date,
) -> DBSCheck:
    _refuse_own_file(mentor, by)
    _check_dates(issued_on, expires_on)
    check = DBSCheck(
        mentor=mentor, level=level, issued_on=issued_on, expires_on=expires_on, recorded_by=by
    )
    _save_record(check, by=by, action="mentor.dbs_check_added", key="dbs_check")
    return check


@transaction.atomic
def mentor_clearance_add(
    *,
    mentor: Mentor,
    by: User,
    establishment: str,
    issued_on: datetime.date,
    expires_on: datetime.date,
) -> PrisonClearance:
    _refuse_own_file(mentor, by)
    _check_dates(issued_on, expires_on)
    clearance = PrisonClearance(
        mentor=mentor,
        establishment=" ".join(establishment.split()),
        issued_on=issued_on,
        expires_on=expires_on,
        recorded_by=by,
    )
    _save_record(clearance, by=by, action="mentor.clearance_added", key="clearance")
    return clearance


@transaction.atomic
def mentor_training_add(
    *, mentor: Mentor, by: User, module: str, completed_on: datetime.date
) -> TrainingRecord:
    _refuse_own_file(mentor, by)
    _not_in_future("completed_on", completed_on, "completion date")
    record = TrainingRecord(
        mentor=mentor, module=" ".join(module.split()), completed_on=completed_on, recorded_by=by
    )
    _save_record(record, by=by, action="mentor.training_added", key="training")
    return record


@transaction.atomic
def mentor_reference_add(
    *, mentor: Mentor, by: User, referee: str, received_on: datetime.date, satisfactory: bool
) -> Reference:
    _refuse_own_file(mentor, by)
    _not_in_future("received_on", received_on, "date received")
    reference = Reference(
        mentor=mentor,
        referee=" ".join(referee.split()),
        received_on=received_on,
        satisfactory=satisfactory,
        recorded_by=by,
    )
    _save_record(reference, by=by, action="mentor.reference_added", key="reference")
    return reference


@transaction.atomic
def mentor_availability_set(
    *, mentor: Mentor, by: User, slots: Collection[tuple[int, str]], capacity: int
) -> Mentor:
    """Replace the mentor's weekly availability and capacity in one go, as the form shows
    them together. Capacity may drop below their open matches: it then stops new matches
    without ending any."""
    _refuse_own_file(mentor, by)
    if capacity < 1:
        raise ValidationError({"capacity": "Capacity must be at least one mentee."})
    wanted = {(int(day), str(part)) for day, part in slots}
    for day, part in wanted:
        if day not in AvailabilitySlot.Weekday.values or part not in AvailabilitySlot.Part.values:
            raise ValidationError({"slots": "Choose times from the weekly grid."})
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
    _refuse_own_file(mentor, by)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The last day can't be before the first day."})
    period = UnavailablePeriod(
        mentor=mentor,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=" ".join(reason.split()),
        recorded_by=by,
    )
    _save_record(period, by=by, action="mentor.unavailable_period_added", key="period")
    return period


@transaction.atomic
def mentor_supervision_log(
    *,
    mentor: Mentor,
    by: User,
    held_on: datetime.date,
    notes: str,
    next_due_on: datetime.date | None = None,
) -> SupervisionSession:
    """Record a reflective supervision session: the oversight that keeps relationships from
    drifting into dependency. The notes stay with coordinators and managers."""
    _refuse_own_file(mentor, by)
    _not_in_future("held_on", held_on, "date of the session")
    if not notes.strip():
        raise ValidationError({"notes": "Write a few words about the session."})
    if next_due_on is not None and next_due_on <= held_on:
        raise ValidationError({"next_due_on": "The next session must be due after this one."})
    session = SupervisionSession(
        mentor=mentor, held_on=held_on, notes=notes.strip(), next_due_on=next_due_on, by=by
    )
    _save_record(session, by=by, action="mentor.supervision_logged", key="supervision")
    return session


def mentor_record_viewed(*, mentor: Mentor, by: User) -> None:
    """Opening a mentor's file is recorded, as for mentees: it holds vetting results and, for
    peer mentors, the fact of a conviction."""
    audit_record(actor=by, action="mentor.viewed", target=mentor, scheme=mentor.scheme)
