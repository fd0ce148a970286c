"""Writes to a mentor's vetting and readiness: DBS checks, prison clearances, training and
references. Each refuses the file's own mentor, checks its dates and leaves an audit event on
the file."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from schemes.mentors.file_writes import not_in_future, refuse_own_file, save_record
from schemes.models import DBSCheck, Mentor, PrisonClearance, Reference, TrainingRecord


def _check_dates(issued_on: datetime.date, expires_on: datetime.date) -> None:
    not_in_future("issued_on", issued_on, "issue date")
    if expires_on <= issued_on:
        raise ValidationError({"expires_on": "The expiry date must be after the issue date"})


@transaction.atomic
def mentor_dbs_check_add(
    *,
    mentor: Mentor,
    by: User,
    level: str,
    issued_on: datetime.date,
    expires_on: datetime.date,
) -> DBSCheck:
    refuse_own_file(mentor, by)
    _check_dates(issued_on, expires_on)
    check = DBSCheck(
        mentor=mentor, level=level, issued_on=issued_on, expires_on=expires_on, recorded_by=by
    )
    save_record(check, by=by, action="mentor.dbs_check_added", key="dbs_check")
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
    refuse_own_file(mentor, by)
    _check_dates(issued_on, expires_on)
    clearance = PrisonClearance(
        mentor=mentor,
        establishment=" ".join(establishment.split()),
        issued_on=issued_on,
        expires_on=expires_on,
        recorded_by=by,
    )
    save_record(clearance, by=by, action="mentor.clearance_added", key="clearance")
    return clearance


@transaction.atomic
def mentor_training_add(
    *, mentor: Mentor, by: User, module: str, completed_on: datetime.date
) -> TrainingRecord:
    refuse_own_file(mentor, by)
    not_in_future("completed_on", completed_on, "completion date")
    record = TrainingRecord(
        mentor=mentor, module=" ".join(module.split()), completed_on=completed_on, recorded_by=by
    )
    save_record(record, by=by, action="mentor.training_added", key="training")
    return record


@transaction.atomic
def mentor_reference_add(
    *, mentor: Mentor, by: User, referee: str, received_on: datetime.date, satisfactory: bool
) -> Reference:
    refuse_own_file(mentor, by)
    not_in_future("received_on", received_on, "date received")
    reference = Reference(
        mentor=mentor,
        referee=" ".join(referee.split()),
        received_on=received_on,
        satisfactory=satisfactory,
        recorded_by=by,
    )
    save_record(reference, by=by, action="mentor.reference_added", key="reference")
    return reference
