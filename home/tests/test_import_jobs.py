"""An import in the worker: upload, a check the person reads, their go-ahead, the import; the
file deleted once done; safe when the task is delivered twice or the worker dies; audited."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import MembershipFactory
from audit.models import AuditEvent
from conftest import client_for
from home.import_jobs import (
    MAX_ATTEMPTS,
    import_job_run,
    import_job_upload,
    import_jobs_catch_up,
    import_jobs_expire,
)
from home.models import ImportJob
from home.tests.importing import go, import_through_page, page, upload
from home.tests.workbooks import MENTEE_COLUMNS, cohort, cohort_sheets, workbook
from mentees.models import Mentee
from relationships.models import Meeting, Relationship

S = ImportJob.Status


def imported_people() -> int:
    """The people the cohort's workbook (HP-…) or a hand-made sheet (HR-…) brought in."""
    return Mentee.objects.filter(reference__regex=r"^H[PR]-").count()


def test_a_coordinator_uploads_reads_the_check_and_imports(world):
    """The check writes nothing and says what would be imported; the go-ahead imports it, the
    file is deleted, and the page gives the counts and where to see them."""
    client = client_for(world.coordinator_a)
    job = upload(client, kind="workbook", scheme_id=world.scheme_a.pk, name="c.xlsx", data=cohort())
    assert job.status == S.READY and job.new_records == 31 and imported_people() == 0
    body = page(client, job)
    assert "Import these 31 records" in body and "sheet relationships" in body
    job = go(client, job)
    assert job.status == S.DONE and job.content is None
    assert imported_people() == 12
    assert Relationship.objects.filter(mentee__reference__startswith="HP-").count() == 6
    body = page(client, job)
    assert "Imported 31 records" in body and reverse("mentors:list") in body


def test_every_step_is_audited_with_ids_and_counts_only(world):
    """Upload, check, go-ahead and import each leave an audit event holding ids and counts, no
    words from the file."""
    client = client_for(world.coordinator_a)
    job = go(
        client,
        upload(client, kind="workbook", scheme_id=world.scheme_a.pk, name="c.xlsx", data=cohort()),
    )
    events = {
        e.action: e.detail
        for e in AuditEvent.objects.filter(target_type="home.importjob", target_id=str(job.pk))
    }
    assert set(events) == {"import.uploaded", "import.checked", "import.confirmed", "import.done"}
    assert events["import.checked"] == {
        "job": job.pk,
        "rows": 31,
        "new": 31,
        "already_present": 0,
        "problems": 0,
    }
    assert events["import.done"]["created"] == 31
    assert AuditEvent.objects.filter(action="mentee.imported").count() == 12


def test_a_file_with_problems_imports_nothing_and_its_problems_are_paged(world):
    """Thousands of problems are listed a hundred a page, by sheet, cell and column; the file
    itself is deleted at once."""
    rows = [[f"HR-{i:05d}", "Pat", "P", "prison", "someday", "referred"] for i in range(250)]
    data = workbook({"mentees": [MENTEE_COLUMNS[:6], *rows]})
    client = client_for(world.coordinator_a)
    job, body = import_through_page(
        client, kind="mentees", scheme_id=world.scheme_a.pk, name="m.xlsx", data=data
    )
    assert job.status == S.PROBLEMS and job.content is None and job.problem_count == 250
    assert "Nothing was imported. Fix 250 problems" in body
    assert "Sheet mentees, cell E2 (line 2), <code>referred_on</code>: Not a date." in body
    assert "Page 1 of 3" in body and "cell E102" not in body
    assert "cell E102 (line 102)" in page(client, job, "?page=2")
    assert imported_people() == 0


def test_a_second_delivery_of_a_finished_run_does_nothing(world):
    """The task delivered again after the import finished imports nothing twice."""
    client = client_for(world.coordinator_a)
    job = go(
        client,
        upload(client, kind="workbook", scheme_id=world.scheme_a.pk, name="c.xlsx", data=cohort()),
    )
    import_job_run(job_id=job.pk)
    assert imported_people() == 12 and Meeting.objects.count() >= 10
    assert AuditEvent.objects.filter(action="import.done").count() == 1


def test_a_run_whose_worker_died_is_run_again_and_imports_once(world):
    """A worker killed mid-import leaves the job "importing" with nothing written: the next
    delivery imports it, once."""
    client = client_for(world.coordinator_a)
    job = upload(client, kind="workbook", scheme_id=world.scheme_a.pk, name="c.xlsx", data=cohort())
    ImportJob.objects.filter(pk=job.pk).update(status=S.IMPORTING, attempts=1)
    import_job_run(job_id=job.pk)
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == S.DONE and imported_people() == 12


def test_a_job_whose_worker_keeps_dying_says_it_failed_and_imported_nothing(world):
    """Past the most runs, the job stops, deletes the file and says plainly nothing was
    imported."""
    client = client_for(world.coordinator_a)
    job = upload(client, kind="workbook", scheme_id=world.scheme_a.pk, name="c.xlsx", data=cohort())
    ImportJob.objects.filter(pk=job.pk).update(status=S.IMPORTING, attempts=MAX_ATTEMPTS)
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == S.FAILED and job.content is None
    assert "Nothing was imported" in job.message and imported_people() == 0


@pytest.mark.django_db(transaction=True)
def test_a_run_holding_the_job_keeps_a_second_delivery_out(world):
    """While one run holds the job (its lock), another delivery returns at once."""
    job = import_job_upload(
        by=world.coordinator_a,
        scheme=world.scheme_a,
        kind="workbook",
        filename="c.xlsx",
        data=cohort(),
    )
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [7_146_016, job.pk])
        assert import_job_run(job_id=job.pk) is None
        job.refresh_from_db()
        assert job.status == S.CHECK_QUEUED and job.attempts == 0
    finally:
        other.rollback()
        other.close()
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == S.READY and job.attempts == 1


def queued_by_the_catch_up(monkeypatch) -> list[int]:
    """The catch-up run, its tasks kept here: the jobs it queued, in order."""
    queued: list[int] = []
    monkeypatch.setattr(
        "home.import_jobs.enqueue", lambda task, job_id: queued.append(job_id) or True
    )
    import_jobs_catch_up()
    return queued


def test_jobs_nobody_picked_up_are_queued_again_by_the_catch_up(world, monkeypatch):
    """A job queued while the broker was down is queued again by the scheduled catch-up, and
    its task checks it."""
    job = import_job_upload(
        by=world.coordinator_a,
        scheme=world.scheme_a,
        kind="workbook",
        filename="c.xlsx",
        data=cohort(),
    )
    five_minutes_ago = timezone.now() - datetime.timedelta(minutes=5)
    ImportJob.objects.filter(pk=job.pk).update(created_at=five_minutes_ago, queued_at=None)
    assert queued_by_the_catch_up(monkeypatch) == [job.pk]
    import_job_run(job_id=job.pk)  # the queued task, as the worker runs it
    job.refresh_from_db()
    assert job.status == S.READY


def test_the_catch_up_queues_each_job_as_its_own_task_oldest_first(world, monkeypatch):
    """Waiting jobs are each queued as a task of their own (with its own time limit), the one
    waiting longest first; the catch-up runs none of them itself."""
    jobs = [
        import_job_upload(
            by=world.coordinator_a,
            scheme=world.scheme_a,
            kind="mentees",
            filename=f"{minutes}.csv",
            data=b"reference\nX\n",
        )
        for minutes in (5, 50, 20)
    ]
    for job, minutes in zip(jobs, (5, 50, 20), strict=True):
        then = timezone.now() - datetime.timedelta(minutes=minutes)
        ImportJob.objects.filter(pk=job.pk).update(created_at=then, queued_at=then)
    assert queued_by_the_catch_up(monkeypatch) == [jobs[1].pk, jobs[2].pk, jobs[0].pk]
    assert set(ImportJob.objects.values_list("status", flat=True)) == {S.CHECK_QUEUED}


def test_a_checked_file_never_imported_is_deleted_when_it_expires(world):
    """A checked file left waiting past its time is deleted and can no longer be imported; the
    page says to upload it again."""
    client = client_for(world.coordinator_a)
    job = upload(client, kind="workbook", scheme_id=world.scheme_a.pk, name="c.xlsx", data=cohort())
    assert import_jobs_expire(now=timezone.now() + datetime.timedelta(days=2)) == 1
    job.refresh_from_db()
    assert job.status == S.EXPIRED and job.content is None
    response = client.post(reverse("home:import_job_go", args=[job.pk]))
    assert response.status_code == 302 and imported_people() == 0
    assert "Upload it again" in page(client, job)


def test_a_manager_imports_through_the_page(world):
    """A manager may import into any scheme (managers are organisation-wide)."""
    client = client_for(world.manager)
    job, _body = import_through_page(
        client, kind="workbook", scheme_id=world.scheme_b.pk, name="c.xlsx", data=cohort()
    )
    assert job.status == S.DONE, job.problems
    assert Mentee.objects.filter(scheme=world.scheme_b, reference__startswith="HP-").count() == 12
    assert AuditEvent.objects.get(action="import.done").actor == world.manager


def test_a_mentor_may_not_import(world):
    """Mentors never import: the page is refused."""
    client = client_for(world.mentor_a)
    assert client.get(reverse("home:import")).status_code == 403


def test_a_coordinator_sees_only_their_own_jobs(world):
    """Another person's job is not found (404), even in a scheme both work in."""
    job = import_job_upload(
        by=world.coordinator_a,
        scheme=world.scheme_a,
        kind="mentees",
        filename="m.csv",
        data=b"reference\nX\n",
    )
    other = MembershipFactory(scheme=world.scheme_a, role=Role.COORDINATOR).user
    for user in (other, world.coordinator_b, world.manager):
        for name in ("home:import_job", "home:import_job_progress"):
            assert client_for(user).get(reverse(name, args=[job.pk])).status_code == 404


def test_the_command_imports_a_workbook_and_a_manager_may_run_it(world, tmp_path, capsys):
    """`import_records workbook` checks (rolled back) and imports every sheet, with a manager
    as `--by`; a mentor is refused."""
    path = tmp_path / "cohort.xlsx"
    path.write_bytes(cohort())
    args = ["import_records", "workbook", str(path), "--scheme", str(world.scheme_a.pk)]
    call_command(*args, "--by", world.manager.email, "--dry-run")
    assert "mentees (mentees): Would import 12 of 12 rows" in capsys.readouterr().out
    assert imported_people() == 0
    call_command(*args, "--by", world.manager.email)
    assert "meetings (meetings): Imported 10 of 10 rows" in capsys.readouterr().out
    with pytest.raises(CommandError, match=r"not a coordinator of .* nor a manager"):
        call_command(*args, "--by", world.mentor_a.email)


def test_the_command_names_the_sheet_and_cell_of_a_problem(world, tmp_path, capsys):
    """The command's problems say the sheet, line, cell and column, and nothing is imported."""
    sheets = cohort_sheets()
    sheets["mentees"][3][2] = "=TODAY()"  # referred_on
    path = tmp_path / "cohort.xlsx"
    path.write_bytes(workbook(sheets))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command(
            "import_records",
            "workbook",
            str(path),
            "--scheme",
            str(world.scheme_a.pk),
            "--by",
            world.coordinator_a.email,
        )
    assert "sheet mentees, line 4 (cell C4), referred_on: C4 holds a formula" in (
        capsys.readouterr().err
    )
