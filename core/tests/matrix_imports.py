"""The records the import rows of the permission matrix work on: a job checked and waiting
for its go-ahead, of coordinator A (in scheme A) and of the manager, and what a valid upload
and go-ahead must have done. A job is its uploader's alone: anyone else gets 404."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from conftest import World
from core.tests.matrix import day, scheme_of
from home.models import ImportJob

CSV = "reference,given_name,family_name,referral_source,referred_on\nIM-001,Ida,Moss,prison,{}\n"


def ready_job(world: World, who: str) -> int:
    """A checked job of ``who`` (coordinator_a or manager) waiting for the go-ahead."""
    user = world.coordinator_a if who == "coordinator_a" else world.manager
    found = ImportJob.objects.filter(uploaded_by=user, filename=f"{who}.csv").first()
    if found is not None:
        return found.pk
    return ImportJob.objects.create(
        scheme=world.scheme_a,
        uploaded_by=user,
        kind="mentees",
        filename=f"{who}.csv",
        size=80,
        content=CSV.format(day(-20)).encode(),
        status=ImportJob.Status.READY,
        progress=100,
        summary={
            "go_live": day(0),
            "parts": [
                {
                    "kind": "mentees",
                    "sheet": "",
                    "rows": 1,
                    "new": 1,
                    "already_present": 0,
                    "checked": True,
                }
            ],
            # What the watcher will make of it, so the page's every section is checked.
            "first_look": {
                "go_live": day(0),
                "referrals": {"live": 1, "history": 0},
                "relationships": {"live": 0, "history": 0},
                "meetings": {"live": 0, "history": 0},
                "flags": {"waiting_for_match": 1},
            },
        },
    ).pk


def upload_body(world: World, user: User | None) -> dict[str, Any]:
    return {
        "kind": "mentees",
        "scheme": scheme_of(world, user).pk,
        "file": SimpleUploadedFile("mentees.csv", CSV.format(day(-20)).encode()),
        "go_live": day(0),
    }


def newest_job(world: World) -> dict[str, Any]:
    return {"pk": ImportJob.objects.latest("pk").pk}


def uploaded(world: World, user: User | None, client: Any) -> None:
    job = ImportJob.objects.latest("pk")
    assert (job.uploaded_by, job.scheme) == (user, scheme_of(world, user))
    assert job.status == ImportJob.Status.CHECK_QUEUED and job.content


def confirmed(world: World, user: User | None, client: Any) -> None:
    job = ImportJob.objects.get(uploaded_by=user, filename__endswith=".csv", status="import_queued")
    assert job.content
