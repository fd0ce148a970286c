"""Importing through the page in a test: upload, then the worker's run (called here, as the
worker would call it), then the job's page."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from home.import_jobs import import_job_run
from home.models import ImportJob


def upload(
    client: Client,
    *,
    kind: str,
    scheme_id: int,
    name: str,
    data: bytes,
    go_live: datetime.date | None = None,
) -> ImportJob:
    """Upload ``data`` through the page (go-live date today unless given) and run the
    worker's check on it."""
    response = client.post(
        reverse("home:import"),
        {
            "kind": kind,
            "scheme": scheme_id,
            "file": SimpleUploadedFile(name, data),
            "go_live": (go_live or timezone.localdate()).isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()
    job = ImportJob.objects.get(pk=resolve(response["Location"]).kwargs["pk"])
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def go(client: Client, job: ImportJob) -> ImportJob:
    """Press "Import these N records" and run the worker's import."""
    response = client.post(reverse("home:import_job_go", args=[job.pk]))
    assert response.status_code == 302
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def page(client: Client, job: ImportJob, query: str = "") -> str:
    response = client.get(reverse("home:import_job", args=[job.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def import_through_page(
    client: Client, *, kind: str, scheme_id: int, name: str, data: bytes
) -> tuple[ImportJob, str]:
    """Upload, check and, if the check found no problem, import: the job and its last page."""
    job = upload(client, kind=kind, scheme_id=scheme_id, name=name, data=data)
    if job.status == ImportJob.Status.READY:
        job = go(client, job)
    return job, page(client, job)
