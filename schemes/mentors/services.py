"""Writes to a mentor's file itself: opening it, its details and its steps through the
pipeline. Vetting and training (``vetting_services``), availability
(``availability_services``) and supervision (``supervision_services``) have modules of their
own. Each service validates in plain words and leaves an audit event."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from audit.services import audit_record
from core.postcodes import clean_home_area
from core.services import apply_changes
from schemes.mentors.file_writes import not_in_future, refuse_own_file
from schemes.mentors.transitions import mentor_transition
from schemes.models import Mentor, MentorStatusChange, Scheme


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


def _tidy_profile(values: dict[str, Any], kept_home_area: str = "") -> dict[str, Any]:
    """The details of a file (``PROFILE_FIELDS``) as typed, tidied for saving: names trimmed,
    the home area as a postcode district (the rule mentees follow too), word lists without
    blanks or repeats. A home area left as it was is kept, so one saved before the rule
    never blocks other edits."""
    values = dict(values)
    for name in ("given_name", "family_name", "email", "phone"):
        values[name] = str(values[name]).strip()
    for name in ("gender_self_description", "ethnicity_self_description"):
        values[name] = " ".join(str(values[name]).split())
    home_area = str(values["home_area"])
    if home_area != kept_home_area:
        try:  # checked first, so a long entry gets this one message, not a length error too
            values["home_area"] = clean_home_area(home_area)
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
    not_in_future("applied_on", applied_on, "application date")
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
    refuse_own_file(mentor, by)
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
        },
        kept_home_area=mentor.home_area,
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
    ``schemes.mentors.transitions.mentor_transition``.
    """
    refuse_own_file(mentor, by)
    return mentor_transition(by=by, mentor=mentor, to_status=to_status, on=on, note=note)


def mentor_record_viewed(*, mentor: Mentor, by: User) -> None:
    """Opening a mentor's file is recorded, as for mentees: it holds vetting results and, for
    peer mentors, the fact of a conviction."""
    audit_record(actor=by, action="mentor.viewed", target=mentor, scheme=mentor.scheme)
