"""Imports in the worker: upload, check (the import rolled back), the person's go-ahead, import.

Safe to run twice. A run holds a PostgreSQL advisory lock on its job for its whole
transaction, and an import writes its records and marks its job done in that one
transaction. So a second delivery while the first runs does nothing; a delivery after it
finished does nothing; and a worker killed mid-run leaves no records and a free lock, and the
next delivery (or the catch-up task each minute, which queues it again) runs it again, up to
``MAX_ATTEMPTS`` runs, after which the job says it failed and that nothing was imported.
Progress is written on a connection of its own, so the page sees it while the import's
transaction is still open.

One import or check into a scheme runs at a time (``home.import_lock``).
A run that finds another holding its scheme does not wait in the worker: it counts no
attempt, the job says it is waiting for the other import, and it is queued again to run
``SCHEME_BUSY_DELAY`` later, freeing the worker. So does a run on SQLite (``make run``) that
finds the database locked by another import.

Every upload, check, go-ahead and import is audited with ids and counts only.
"""

import datetime
import logging
import traceback
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.selectors import user_roles
from audit.services import audit_record
from core.queue import enqueue
from home.import_lock import SCHEME_BUSY, try_to_take_the_scheme
from home.import_summary import job_problems, job_summary
from home.importers import Outcome, import_file
from home.models import ImportJob
from schemes.models import Scheme
from schemes.selectors import scheme_visible_to

logger = logging.getLogger(__name__)
S = ImportJob.Status

#: The worker's task, named: the task module calls this one.
RUN_TASK = "home.tasks.run_import_job"
#: Runs begun before a job is given up as failed (each a worker that died mid-run).
MAX_ATTEMPTS = 3
#: A job not picked up within this long (the broker was down) is run by the catch-up task.
WAITING_GRACE = datetime.timedelta(seconds=30)
#: The catch-up leaves alone a job queued this lately: its task may still be on its way.
QUEUED_GRACE = datetime.timedelta(minutes=3)
#: A run that found another import into its scheme is run again this many seconds later
#: (``IMPORT_SCHEME_BUSY_SECONDS``, 30 unless set).
SCHEME_BUSY_DELAY = settings.IMPORT_SCHEME_BUSY_SECONDS
#: Jobs queued again by one catch-up, a minute apart; the rest wait for the next minute.
CATCH_UP_BATCH = 50
LOCK_CLASS = 7_146_016  # any constant: the first key of the jobs' advisory locks


def import_schemes_for(user: User) -> QuerySet[Scheme]:
    """The schemes ``user`` may import into: a coordinator's own, every one for a manager.
    A mentor imports into none."""
    roles = user_roles(user)
    if not (roles.is_manager or roles.is_coordinator):
        return Scheme.objects.none()
    return scheme_visible_to(user)


def may_import_into(user: User, scheme: Scheme) -> bool:
    return import_schemes_for(user).filter(pk=scheme.pk).exists()


def import_job_visible_to(user: User) -> QuerySet[ImportJob]:
    """A job is its uploader's alone, and only while they may still import into its scheme."""
    return ImportJob.objects.filter(uploaded_by=user, scheme__in=import_schemes_for(user))


def _queue(job_id: int) -> None:
    enqueue(RUN_TASK, job_id=job_id)


def _queue_later(job_id: int) -> None:
    """Run the job again ``SCHEME_BUSY_DELAY`` seconds from now. If the broker will not take
    it, the catch-up queues it later."""
    try:
        current_app.send_task(
            RUN_TASK, kwargs={"job_id": job_id}, countdown=SCHEME_BUSY_DELAY, retry=False
        )
    except Exception:
        logger.warning("Could not queue import job %s again; the catch-up will", job_id)


@transaction.atomic
def import_job_upload(
    *,
    by: User,
    scheme: Scheme,
    kind: str,
    filename: str,
    data: bytes,
    go_live: datetime.date | None = None,
) -> ImportJob:
    """Keep the file and ask the worker to check it. Its referrals and relationships will be
    watched from ``go_live``, the day the scheme started using Tandem (today if not given):
    kept in the job's summary until the import, so the check and the import agree."""
    if not may_import_into(by, scheme):
        raise PermissionDenied
    go_live = go_live or timezone.localdate()
    if go_live > timezone.localdate():
        raise ValidationError({"go_live": "The go-live date cannot be in the future"})
    job = ImportJob.objects.create(
        scheme=scheme,
        uploaded_by=by,
        kind=kind,
        filename=filename[-200:],
        size=len(data),
        content=data,
        message="Waiting for the worker",
        queued_at=timezone.now(),
        summary={"go_live": go_live.isoformat()},
    )
    audit_record(
        actor=by,
        action="import.uploaded",
        target=job,
        scheme=scheme,
        detail={"job": job.pk, "kind": kind, "bytes": len(data), "go_live": go_live.isoformat()},
    )
    transaction.on_commit(lambda: _queue(job.pk))
    return job


@transaction.atomic
def import_job_confirm(*, by: User, job: ImportJob) -> ImportJob:
    """The person read the check and said go: the worker imports the same file."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.uploaded_by_id != by.pk or not may_import_into(by, job.scheme):
        raise PermissionDenied
    if job.status != S.READY or job.content is None:
        raise ValidationError("This file is not waiting to be imported.")
    job.status = S.IMPORT_QUEUED
    job.progress = 0
    job.attempts = 0
    job.message = "Waiting for the worker"
    job.queued_at = timezone.now()
    job.save(update_fields=["status", "progress", "attempts", "message", "queued_at"])
    audit_record(
        actor=by,
        action="import.confirmed",
        target=job,
        scheme=job.scheme,
        detail={"job": job.pk, "records": job.new_records},
    )
    transaction.on_commit(lambda: _queue(job.pk))
    return job


class _Board:
    """The job's status and progress, written on a connection of its own that commits each
    write at once: the run's own transaction is seen by nobody until it ends. (On SQLite a
    second writer would wait for the first, so there the page sees only the end.)"""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.connection = (
            connections.create_connection(DEFAULT_DB_ALIAS)
            if connection.vendor == "postgresql"
            else None
        )

    def write(self, **fields: Any) -> None:
        if self.connection is None:
            return
        table = ImportJob._meta.db_table
        names = ", ".join(f"{name} = %s" for name in fields)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {names} WHERE id = %s",  # noqa: S608  # names are ours
                [*fields.values(), self.job_id],
            )

    def tell(self, percent: int, message: str) -> None:
        self.write(progress=max(0, min(99, percent)), message=message[:200])

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def _try_lock(job_id: int) -> bool:
    """Hold the job's lock until the transaction ends; False if another run holds it."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [LOCK_CLASS, job_id % 2**31])
        return bool(cursor.fetchone()[0])


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Check or import job ``job_id``, whichever it waits for. The worker's one service."""
    try:
        return _run(job_id)
    except OperationalError as exc:
        # SQLite: another import holds the database's write lock (PostgreSQL never says so).
        if connection.vendor != "sqlite" or "locked" not in str(exc):
            raise
        _queue_later(job_id)
        return None


def _run(job_id: int) -> ImportJob | None:
    with transaction.atomic():
        if not _try_lock(job_id):
            return None  # another run has it
        job = ImportJob.objects.select_related("scheme", "uploaded_by").filter(pk=job_id).first()
        if job is None or not job.is_working:
            return job  # finished, or a second delivery of a finished run
        checking = job.status in (S.CHECK_QUEUED, S.CHECKING)
        if job.content is None:
            return _end(job, S.FAILED, "The file is no longer here. Nothing was imported.")
        if job.attempts >= MAX_ATTEMPTS:
            return _end(
                job,
                S.FAILED,
                f"The worker stopped {job.attempts} times while working on this file, so it "
                "gave up. Nothing was imported. Upload it again, or split it into smaller files.",
            )
        if not try_to_take_the_scheme(job.scheme):
            return _wait_for_the_scheme(job, checking)
        board = _Board(job.pk)
        running = S.CHECKING if checking else S.IMPORTING
        job.attempts += 1
        job.started_at = timezone.now()
        board.write(status=running, attempts=job.attempts, started_at=job.started_at)
        board.tell(0, "Reading the file")
        try:
            if not may_import_into(job.uploaded_by, job.scheme):
                return _end(job, S.FAILED, "Not imported: you no longer work with this scheme.")
            outcome = import_file(
                kind=job.kind,
                by=job.uploaded_by,
                scheme=job.scheme,
                data=bytes(job.content),
                filename=job.filename,
                dry_run=checking,
                progress=board.tell,
                go_live=job.go_live,
            )
        except Exception as exc:  # the job must end, whatever went wrong
            # The type and where, never the message: it may quote a cell of the file.
            logger.error(
                "Import job %s failed: %s\n%s",
                job.pk,
                type(exc).__name__,
                "".join(traceback.format_tb(exc.__traceback__)),
            )
            return _end(
                job,
                S.FAILED,
                "Something went wrong with this file. Nothing was imported. Try again, or "
                "split the file into smaller ones.",
            )
        finally:
            board.close()
        return _checked(job, outcome) if checking else _imported(job, outcome)


def _wait_for_the_scheme(job: ImportJob, checking: bool) -> ImportJob:
    """Another import into the job's scheme is running: no attempt is counted, the job says
    so and is queued to run again a little later, and the worker is free meanwhile."""
    job.status = S.CHECK_QUEUED if checking else S.IMPORT_QUEUED
    job.message = SCHEME_BUSY
    job.queued_at = timezone.now()
    job.save(update_fields=["status", "message", "queued_at"])
    job_id = job.pk
    transaction.on_commit(lambda: _queue_later(job_id))
    return job


def _checked(job: ImportJob, outcome: Outcome) -> ImportJob:
    job.summary = job_summary(job, outcome)
    job.problems = job_problems(outcome)
    job.problem_count = len(outcome.problems)
    job.checked_at = timezone.now()
    audit_record(
        actor=job.uploaded_by,
        action="import.checked",
        target=job,
        scheme=job.scheme,
        detail={
            "job": job.pk,
            "rows": outcome.rows,
            "new": outcome.new,
            "already_present": outcome.already_present,
            "problems": len(outcome.problems),
        },
    )
    if not outcome.ok:
        return _end(job, S.PROBLEMS, "Problems found: nothing was imported")
    if outcome.new == 0:
        return _end(job, S.DONE, "Everything in the file is already in Tandem")
    job.status = S.READY
    job.progress = 100
    job.message = "Checked: ready to import"
    job.expires_at = timezone.now() + datetime.timedelta(hours=settings.IMPORT_FILE_HOURS)
    job.save()
    return job


def _imported(job: ImportJob, outcome: Outcome) -> ImportJob:
    job.summary = job_summary(job, outcome)
    job.problems = job_problems(outcome)
    job.problem_count = len(outcome.problems)
    if not outcome.ok:
        # Something changed between the check and the go-ahead (another import, an edit).
        return _end(job, S.PROBLEMS, "Problems found when importing: nothing was imported")
    audit_record(
        actor=job.uploaded_by,
        action="import.done",
        target=job,
        scheme=job.scheme,
        detail={"job": job.pk, "created": outcome.new, "already_present": outcome.already_present},
    )
    if outcome.new == 0:
        # Another import into the scheme brought the same records in after the check.
        return _end(job, S.DONE, "Nothing imported: everything in the file is already in Tandem")
    return _end(job, S.DONE, f"Imported {outcome.new:,} records")


def _end(job: ImportJob, status: str, message: str) -> ImportJob:
    """Finish the job: the file is no longer needed, so it goes now."""
    job.status = status
    job.message = message[:200]
    job.progress = 100
    job.content = None
    job.finished_at = timezone.now()
    job.expires_at = job.finished_at + datetime.timedelta(hours=settings.IMPORT_FILE_HOURS)
    job.save()
    return job


def import_jobs_catch_up(*, now: datetime.datetime | None = None) -> int:
    """Queue again, oldest first, each job nobody picked up (the broker was down) or whose
    worker died (running, lock free: the run itself finds out). Each is its own task, with
    its own time limit, run by whichever worker is free: this task only queues. A job queued
    within ``QUEUED_GRACE`` (by its upload, its go-ahead, a run that found its scheme busy or
    this task) is left alone, so tasks for a job do not pile up while it waits its turn; a
    duplicate that does reach a worker finds the job done, or running, and does nothing.
    Returns how many were queued."""
    now = now or timezone.now()
    recent = Q(queued_at__gt=now - QUEUED_GRACE) | Q(created_at__gt=now - WAITING_GRACE)
    ids = list(
        ImportJob.objects.filter(status__in=[*ImportJob.WAITING, *ImportJob.RUNNING])
        .exclude(recent)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:CATCH_UP_BATCH]
    )
    ImportJob.objects.filter(pk__in=ids).update(queued_at=now)
    for job_id in ids:
        _queue(job_id)
    return len(ids)


def import_jobs_expire(*, now: datetime.datetime | None = None) -> int:
    """Past ``IMPORT_FILE_HOURS``: a checked file never imported is deleted, and so are the
    problems kept for any finished job to read. The counts and who did what stay."""
    now = now or timezone.now()
    expired = ImportJob.objects.filter(expires_at__lte=now, status=S.READY).update(
        status=S.EXPIRED, content=None, problems=[], message="Expired: nothing imported"
    )
    ImportJob.objects.filter(expires_at__lte=now).exclude(problems=[]).update(problems=[])
    return expired
