"""A scheme's whole history in one workbook: thousands of rows checked and imported through
the job's service, as the worker runs it. The figures (time, peak memory) are printed, never
asserted; the README's come from `make bench-import` (scripts/bench-import), which times the
same service in a process of its own. The worker's run is the test process's here, so its
peak resident memory is the process's. ``IMPORT_SCALE=2`` doubles every sheet."""

import os
import resource
import time

import pytest

from home.import_jobs import import_job_confirm, import_job_run, import_job_upload
from home.models import ImportJob
from home.tests.workbooks import FULL, cohort
from mentees.models import Mentee
from relationships.models import Meeting, Relationship

SCALE = int(os.environ.get("IMPORT_SCALE", "1"))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.slow
def test_a_historic_cohort_of_thousands_of_rows_checks_and_imports(world, capsys):
    """4,000 referrals, 40 mentors, 390 relationships and 1,100 meetings: the check counts
    them all and writes nothing; the import writes them all."""
    sizes = {kind: n * SCALE for kind, n in FULL.items()}
    data = cohort(**sizes)
    job = import_job_upload(
        by=world.coordinator_a,
        scheme=world.scheme_a,
        kind="workbook",
        filename="h.xlsx",
        data=data,
    )
    rss_before = peak_rss_mb()
    started = time.perf_counter()
    import_job_run(job_id=job.pk)
    checked = time.perf_counter() - started
    rss_checked = peak_rss_mb()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY, job.problems[:5]
    assert job.new_records == sum(sizes.values())
    assert not Mentee.objects.filter(reference__startswith="HP-").exists()
    import_job_confirm(by=world.coordinator_a, job=job)
    started = time.perf_counter()
    import_job_run(job_id=job.pk)
    imported = time.perf_counter() - started
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Mentee.objects.filter(reference__startswith="HP-").count() == sizes["mentees"]
    assert (
        Relationship.objects.filter(mentee__reference__startswith="HP-").count()
        == (sizes["relationships"])
    )
    assert (
        Meeting.objects.filter(relationship__mentee__reference__startswith="HP-").count()
        == (sizes["meetings"])
    )
    with capsys.disabled():
        print(
            f"\nimport scale x{SCALE}: {len(data) / 1024:.0f} KB workbook, "
            f"{sum(sizes.values()):,} rows; check {checked:.1f} s, import {imported:.1f} s; "
            f"process peak RSS {rss_before:.0f} MB before, {rss_checked:.0f} MB after the "
            f"check, {peak_rss_mb():.0f} MB after the import"
        )
