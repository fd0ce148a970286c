"""The writes of retention, erasure and subject access, each audited.

``retention_run`` is the worker's daily job: it anonymises people past their scheme's
retention period and deletes mentors' private notes past the scheme's days after closure, in
bounded batches, each person in a transaction of their own; a second run finds nothing left
to do. ``person_erase`` is the same anonymisation at once, on the person's request.
``subject_access_*`` draft, release, hand out and expire a person's whole record.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from mentees.models import Mentee
from privacy.anonymise import anonymise_person
from privacy.models import Erasure, RetentionRun, SubjectAccessExport
from privacy.record import THIRD_PARTY, subject_access_record
from privacy.render import record_pdf
from privacy.selectors import (
    erasable_problem,
    meetings_with_private_notes_due,
    people_past_retention,
)
from relationships.models import Meeting
from schemes.models import Scheme

#: People anonymised, and meetings cleared, per batch; and the most of each one run takes
#: (the next day's run carries on), so a first run over years of records stays short.
BATCH = 100
MOST_PER_RUN = 5_000

ANONYMISED = (
    "This record has been anonymised, so there is nothing about the person to give them: "
    "their exports' files were deleted when it was."
)


def _anonymise_one(*, mentee_id: int, now: datetime.datetime, run: RetentionRun) -> bool:
    """Anonymise one person past retention, in a transaction of its own; False if someone
    else got there first or the person is no longer past it (a referral reopened)."""
    with transaction.atomic():
        mentee = (
            Mentee.objects.select_for_update()
            .select_related("scheme")
            .filter(pk=mentee_id, anonymised_at__isnull=True)
            .first()
        )
        if (
            mentee is None
            or not people_past_retention(mentee.scheme, today=timezone.localdate(now))
            .filter(pk=mentee_id)
            .exists()
        ):
            return False
        anonymise_person(mentee, now=now)
        subject_access_expire_for(mentee, now=now)
        audit_record(
            actor=None,
            action="mentee.anonymised",
            target=mentee,
            scheme=mentee.scheme,
            detail={"retention_run": run.pk, "retention_years": mentee.scheme.retention_years},
        )
    return True


def _anonymise_due(scheme: Scheme, *, now: datetime.datetime, run: RetentionRun) -> int:
    done = 0
    today = timezone.localdate(now)
    while done < MOST_PER_RUN:
        ids = list(people_past_retention(scheme, today=today).values_list("pk", flat=True)[:BATCH])
        if not ids:
            break
        made = sum(_anonymise_one(mentee_id=pk, now=now, run=run) for pk in ids)
        done += made
        if made == 0:  # each one was taken by a run alongside: let it finish them
            break
    return done


def _delete_private_notes(scheme: Scheme, *, today: datetime.date) -> int:
    deleted = 0
    while deleted < MOST_PER_RUN:
        ids = list(
            meetings_with_private_notes_due(scheme, today=today).values_list("pk", flat=True)[
                :BATCH
            ]
        )
        if not ids:
            break
        with transaction.atomic():
            deleted += (
                Meeting.objects.filter(pk__in=ids).exclude(note_private="").update(note_private="")
            )
    return deleted


def retention_run(
    *, scheme_id: int | None = None, now: datetime.datetime | None = None
) -> RetentionRun:
    """Anonymise everyone past their scheme's retention period and delete private notes past
    the scheme's days after closure, for one scheme or all. Audited as one event with the
    counts (``retention.run``) and one per person (``mentee.anonymised``). Safe to run twice
    and alongside itself: a person is taken under a row lock and only while not anonymised."""
    now = now or timezone.now()
    run = RetentionRun.objects.create(started_at=now)
    schemes = Scheme.objects.order_by("pk")
    if scheme_id is not None:
        schemes = schemes.filter(pk=scheme_id)
    for scheme in schemes:
        run.people_anonymised += _anonymise_due(scheme, now=now, run=run)
        run.private_notes_deleted += _delete_private_notes(scheme, today=timezone.localdate(now))
    run.finished_at = timezone.now()
    run.save(update_fields=["people_anonymised", "private_notes_deleted", "finished_at"])
    audit_record(
        actor=None,
        action="retention.run",
        target=run,
        detail={
            "scheme": scheme_id,
            "people_anonymised": run.people_anonymised,
            "private_notes_deleted": run.private_notes_deleted,
        },
    )
    return run


@transaction.atomic
def person_erase(*, by: User, mentee: Mentee, reason: str, note: str = "") -> Erasure:
    """Erase a person's record now, at their request: the same anonymisation as retention,
    and their equality answers cleared as well (``privacy.anonymise``).
    The reason is kept on the ``Erasure``; the audit holds its code and the erasure's id."""
    mentee = Mentee.objects.select_for_update().select_related("scheme").get(pk=mentee.pk)
    problem = erasable_problem(mentee)
    if problem:
        raise ValidationError(problem)
    note = " ".join(note.split())
    if reason not in Erasure.Reason.values:
        raise ValidationError({"reason": "Select why the record is being erased"})
    if reason == Erasure.Reason.OTHER and not note:
        raise ValidationError({"note": "Say why the record is being erased"})
    now = timezone.now()
    erasure = Erasure(mentee=mentee, reason=reason, note=note, erased_by=by, erased_at=now)
    erasure.full_clean()
    erasure.save()
    anonymise_person(mentee, now=now, clear_answers=True)
    subject_access_expire_for(mentee, now=now)
    audit_record(
        actor=by,
        action="mentee.erased",
        target=mentee,
        scheme=mentee.scheme,
        detail={"erasure": erasure.pk, "reason": reason},
    )
    return erasure


@transaction.atomic
def subject_access_generate(*, by: User, mentee: Mentee) -> SubjectAccessExport:
    """Draft a person's whole record as JSON and PDF, for a manager to review before it is
    released. Built in the request: one person's record is small (see ``privacy.record``).
    Refused once the person is anonymised: nothing about them is left to give."""
    mentee = Mentee.objects.select_for_update().get(pk=mentee.pk)
    if mentee.anonymised_at is not None:
        raise ValidationError(ANONYMISED)
    now = timezone.now()
    record = subject_access_record(mentee, now=now)
    export = SubjectAccessExport.objects.create(
        mentee=mentee,
        requested_by=by,
        created_at=now,
        expires_at=now + datetime.timedelta(hours=settings.REPORT_FILE_HOURS),
        record=record,
        pdf=record_pdf(record),
    )
    audit_record(
        actor=by,
        action="subject_access.generated",
        target=export,
        scheme=mentee.scheme,
        detail={"mentee": mentee.pk},
    )
    return export


def subject_access_reviewed(*, by: User, export: SubjectAccessExport) -> None:
    """Reading a draft or a released record on screen is reading the person's record."""
    audit_record(
        actor=by,
        action="subject_access.viewed",
        target=export,
        scheme=export.mentee.scheme,
        detail={"mentee": export.mentee_id},
    )


@transaction.atomic
def subject_access_release(
    *, by: User, export: SubjectAccessExport, withhold: Iterable[str] = ()
) -> SubjectAccessExport:
    """The manager has read the draft: it may now be downloaded and given to the person.
    ``withhold`` names sections that may hold others' information (``THIRD_PARTY``) the
    manager chose to leave out: they are removed from the JSON and the PDF, which say
    nothing of it; the audit records which, by their keys."""
    export = SubjectAccessExport.objects.select_for_update().get(pk=export.pk)
    if Mentee.objects.filter(pk=export.mentee_id, anonymised_at__isnull=False).exists():
        raise ValidationError(ANONYMISED)
    if export.status != SubjectAccessExport.Status.DRAFT or export.record is None:
        raise ValidationError("Only a draft that has not expired can be released")
    withheld = sorted(THIRD_PARTY.intersection(withhold))
    if withheld:
        record = dict(export.record)
        record["sections"] = [s for s in record["sections"] if s["key"] not in withheld]
        export.record, export.pdf = record, record_pdf(record)
    export.status = SubjectAccessExport.Status.RELEASED
    export.released_by = by
    export.released_at = timezone.now()
    export.save(update_fields=["status", "released_by", "released_at", "record", "pdf"])
    audit_record(
        actor=by,
        action="subject_access.released",
        target=export,
        scheme=export.mentee.scheme,
        detail={"mentee": export.mentee_id} | ({"withheld": withheld} if withheld else {}),
    )
    return export


def subject_access_downloaded(*, by: User, export: SubjectAccessExport, format: str) -> None:
    audit_record(
        actor=by,
        action="subject_access.downloaded",
        target=export,
        scheme=export.mentee.scheme,
        detail={"mentee": export.mentee_id, "format": format},
    )


def subject_access_expire_for(mentee: Mentee, *, now: datetime.datetime) -> int:
    """Delete the files of every subject-access export of this person (drafts and released
    ones alike), when they are anonymised: a copy made before must not outlive the record it
    copied. The row that one was made, by whom and when, stays."""
    SubjectAccessExport.objects.filter(mentee=mentee, expires_at__gt=now).update(expires_at=now)
    return (
        SubjectAccessExport.objects.filter(mentee=mentee)
        .exclude(status=SubjectAccessExport.Status.EXPIRED, record__isnull=True, pdf__isnull=True)
        .update(status=SubjectAccessExport.Status.EXPIRED, record=None, pdf=None)
    )


def subject_access_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of exports past ``REPORT_FILE_HOURS``; the record that one was made,
    by whom and when released stays."""
    now = now or timezone.now()
    return (
        SubjectAccessExport.objects.filter(expires_at__lte=now)
        .exclude(status=SubjectAccessExport.Status.EXPIRED)
        .update(status=SubjectAccessExport.Status.EXPIRED, record=None, pdf=None)
    )
