"""A job whose scheme another import is using does not wait in the worker: it counts no
attempt, says it is waiting for the other import, and is queued again a little later; once
the other import ends it runs, and finds what the other wrote. The catch-up leaves a job
queued lately alone, so tasks do not pile up behind a long import."""

import datetime
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.utils import timezone

from flags.tests.test_worker import worker
from home import import_jobs
from home.import_jobs import (
    MAX_ATTEMPTS,
    SCHEME_BUSY_DELAY,
    import_job_confirm,
    import_job_run,
    import_job_upload,
    import_jobs_catch_up,
)
from home.import_lock import SCHEME_LOCK_CLASS
from home.importers import run_import
from home.models import ImportJob
from mentoring.celery import app
from relationships.models import Meeting

pytestmark = pytest.mark.django_db(transaction=True)
S = ImportJob.Status
EXAMPLES = Path(settings.BASE_DIR) / "docs" / "examples"
MEETINGS = (EXAMPLES / "meetings.csv").read_bytes()
BUSY = "Waiting for another import into this scheme to finish"


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The tasks sent to run later, kept here instead of going to the broker (those sent to
    run now, by an upload or a go-ahead, are dropped)."""
    tasks: list[dict[str, Any]] = []

    def send_task(name: str, **options: Any) -> None:
        if "countdown" in options:
            tasks.append({"name": name, **options})

    monkeypatch.setattr(import_jobs.current_app, "send_task", send_task)
    return tasks


class OtherImport:
    """Another import into ``scheme``, on a connection of its own, holding the scheme's lock
    until it ends."""

    def __init__(self, scheme_id: int) -> None:
        self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
        self.connection.set_autocommit(False)
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [SCHEME_LOCK_CLASS, scheme_id])

    def end(self) -> None:
        if self.connection.connection is not None:  # not ended yet
            self.connection.rollback()
            self.connection.close()


@pytest.fixture
def other_import(world: Any) -> Iterator[OtherImport]:
    running = OtherImport(world.scheme_a.pk)
    yield running
    running.end()


def upload(world: Any, name: str = "meetings.csv") -> ImportJob:
    return import_job_upload(
        by=world.coordinator_a, scheme=world.scheme_a, kind="meetings", filename=name, data=MEETINGS
    )


def test_a_job_behind_another_import_is_queued_again_without_counting_an_attempt(
    world, other_import, sent
):
    """While another import holds the scheme, each run of the job returns at once: no attempt
    counted (so it never "stops 3 times"), the page says what it waits for, and it is queued
    to run again 30 s later. Once the other import ends, the next run checks it."""
    job = upload(world)
    for _ in range(MAX_ATTEMPTS + 1):
        import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.message) == (S.CHECK_QUEUED, 0, BUSY)
    assert job.content is not None
    assert sent == [
        {
            "name": import_jobs.RUN_TASK,
            "kwargs": {"job_id": job.pk},
            "countdown": SCHEME_BUSY_DELAY,
            "retry": False,
        }
    ] * (MAX_ATTEMPTS + 1)

    other_import.end()
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (S.PROBLEMS, 1)  # checked (no relationships yet)


def test_two_jobs_importing_the_same_meetings_import_each_meeting_once(world, sent):
    """Two uploads of one file, both confirmed: the second, run while another import holds
    the scheme, waits its turn (in the queue, not the worker), then finds every meeting the
    first imported already in Tandem."""
    for kind in ("mentors", "mentees", "relationships"):
        data = (EXAMPLES / f"{kind}.csv").read_bytes()
        report = run_import(
            kind=kind, by=world.coordinator_a, scheme=world.scheme_a, data=data, dry_run=False
        )
        assert report.ok, report.problems
    jobs = []
    for name in ("meetings.csv", "meetings (1).csv"):
        job = upload(world, name)
        import_job_run(job_id=job.pk)
        jobs.append(import_job_confirm(by=world.coordinator_a, job=job))

    other = OtherImport(world.scheme_a.pk)
    try:
        import_job_run(job_id=jobs[1].pk)
        jobs[1].refresh_from_db()
        assert (jobs[1].status, jobs[1].attempts, jobs[1].message) == (S.IMPORT_QUEUED, 0, BUSY)
    finally:
        other.end()
    import_job_run(job_id=jobs[0].pk)
    import_job_run(job_id=jobs[1].pk)

    assert Meeting.objects.count() == MEETINGS.count(b"\n") - 1
    first, second = (ImportJob.objects.get(pk=job.pk) for job in jobs)
    assert first.status == second.status == S.DONE
    assert first.message == f"Imported {first.new_records} records"
    assert "already in Tandem" in second.message and second.attempts == 1


def test_on_sqlite_a_job_finding_the_database_locked_is_queued_again(world, sent, monkeypatch):
    """On SQLite (``make run``) a second import's transaction fails with "database is locked"
    after the settings' timeout: the job is queued again, not failed, and runs later. (The
    lock is stood in for here: the tests run on PostgreSQL.)"""
    job = upload(world)

    def locked(job_id: int) -> None:
        raise OperationalError("database is locked")

    with monkeypatch.context() as sqlite:
        sqlite.setattr(import_jobs, "_run", locked)
        sqlite.setattr(type(connections[DEFAULT_DB_ALIAS]), "vendor", "sqlite")
        assert import_job_run(job_id=job.pk) is None
    assert [task["countdown"] for task in sent] == [SCHEME_BUSY_DELAY]
    job.refresh_from_db()
    assert (job.status, job.attempts) == (S.CHECK_QUEUED, 0)
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == S.PROBLEMS and job.attempts == 1


def caught_up(monkeypatch: pytest.MonkeyPatch, now: datetime.datetime) -> list[int]:
    queued: list[int] = []
    monkeypatch.setattr(
        "home.import_jobs.enqueue", lambda task, job_id: queued.append(job_id) or True
    )
    import_jobs_catch_up(now=now)
    return queued


def test_the_catch_up_leaves_a_job_queued_lately_alone(world, other_import, sent, monkeypatch):
    """A job uploaded long ago but confirmed, or queued again behind another import, a moment
    ago is not queued once more each minute: only once a few minutes have passed with no
    worker taking it, and then once, not again the minute after."""
    job = upload(world)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    ImportJob.objects.filter(pk=job.pk).update(created_at=long_ago)
    import_job_run(job_id=job.pk)  # the scheme busy: queued again, 30 s from now
    now = timezone.now()
    assert caught_up(monkeypatch, now + datetime.timedelta(minutes=1)) == []
    assert caught_up(monkeypatch, now + datetime.timedelta(minutes=2)) == []
    assert caught_up(monkeypatch, now + datetime.timedelta(minutes=10)) == [job.pk]
    assert caught_up(monkeypatch, now + datetime.timedelta(minutes=11)) == []


#: Hang guard: the job waiting for the scheme runs again a second after it was turned away
#: (``BUSY_SECONDS`` here) and then checks a small file in a few seconds; this is over ten
#: times what a busy machine needs, even at the 30 s a deployment waits by default.
GUARD_SECONDS = 400
#: The real worker's wait before a job turned away runs again (IMPORT_SCHEME_BUSY_SECONDS):
#: a test waits for the job to run, not 30 s of a countdown.
BUSY_SECONDS = 1


def until(job: ImportJob, done: Callable[[ImportJob], bool], what: str) -> None:
    deadline = time.monotonic() + GUARD_SECONDS
    while True:
        job.refresh_from_db()
        if done(job):
            return
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


@pytest.mark.slow
@pytest.mark.real_queue
@pytest.mark.skipif(
    not settings.CELERY_BROKER_URL.startswith("redis://"), reason="needs the test Redis"
)
def test_a_real_worker_is_free_while_a_job_waits_and_runs_it_after(
    world, other_import, monkeypatch
):
    """With one worker process: a job into a busy scheme is turned away and the worker goes
    on to check another scheme's file; once the other import ends, the job waiting is run
    again by the worker (queued again ``IMPORT_SCHEME_BUSY_SECONDS`` later, each time it is
    turned away), with one attempt counted."""
    monkeypatch.setenv("IMPORT_SCHEME_BUSY_SECONDS", str(BUSY_SECONDS))
    app.control.purge()
    waiting = upload(world)
    with worker(settings.CELERY_BROKER_URL):
        until(waiting, lambda job: job.message == BUSY, "the job was never turned away")
        other_scheme = import_job_upload(
            by=world.coordinator_b,
            scheme=world.scheme_b,
            kind="meetings",
            filename="meetings.csv",
            data=MEETINGS,
        )
        until(other_scheme, lambda job: not job.is_working, "the worker was not free")
        other_import.end()
        until(waiting, lambda job: not job.is_working, "the waiting job never ran")
    assert (waiting.status, waiting.attempts) == (S.PROBLEMS, 1)
