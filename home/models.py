"""An import run in the worker: the uploaded file, its check, the person's go-ahead, the import.

The file is kept in the database (the web app and the worker share no disk) only as long as it
is needed: it is deleted when the check finds problems, when the import finishes or fails,
and when a checked file is not imported within ``IMPORT_FILE_HOURS``. The problems found are
kept as long as the file could be, for the person to read, then deleted too.
"""

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from home.importers import KINDS


class ImportJob(models.Model):
    class Status(models.TextChoices):
        CHECK_QUEUED = "check_queued", "Waiting to be checked"
        CHECKING = "checking", "Checking"
        READY = "ready", "Checked: ready to import"
        PROBLEMS = "problems", "Problems found: nothing imported"
        IMPORT_QUEUED = "import_queued", "Waiting to import"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed: nothing imported"
        EXPIRED = "expired", "Expired: nothing imported"

    scheme = models.ForeignKey(
        "schemes.Scheme", on_delete=models.PROTECT, related_name="import_jobs"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_jobs"
    )
    kind = models.CharField(max_length=20, choices=KINDS)
    filename = models.CharField(max_length=200)
    size = models.PositiveIntegerField(help_text="The file's size in bytes.")
    content = models.BinaryField(null=True, blank=True, editable=False)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CHECK_QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=200, blank=True)
    #: Runs begun: a worker killed mid-run leaves one more, and past a limit the job fails.
    attempts = models.PositiveSmallIntegerField(default=0)
    # The go-live date (``go_live``), from the upload on; once checked, each part's counts
    # (``parts``: kind, sheet, rows, new, already present, checked) and the check's look
    # ahead (``first_look``: history and live rows, flags by kind): numbers and codes only.
    # A job from before the go-live date holds a list of parts.
    summary = models.JSONField(null=True, blank=True)
    problems = models.JSONField(default=list, blank=True)
    problem_count = models.PositiveIntegerField(default=0)

    created_at = models.DateTimeField(auto_now_add=True)
    #: When a task for it was last sent (upload, go-ahead, re-queue): the catch-up leaves a
    #: job queued lately alone, so tasks do not pile up behind a long import.
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="import_job_progress_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.kind}) into scheme {self.scheme_id}"

    WAITING = (Status.CHECK_QUEUED, Status.IMPORT_QUEUED)
    RUNNING = (Status.CHECKING, Status.IMPORTING)

    @property
    def is_working(self) -> bool:
        """Queued or running: the page shows a progress bar and polls."""
        return self.status in self.WAITING or self.status in self.RUNNING

    @property
    def is_import_phase(self) -> bool:
        return self.status in (self.Status.IMPORT_QUEUED, self.Status.IMPORTING)

    @property
    def parts(self) -> list[dict[str, Any]]:
        """Each part's counts, once checked."""
        if isinstance(self.summary, list):
            return self.summary
        return (self.summary or {}).get("parts", [])

    @property
    def go_live(self) -> datetime.date:
        """The day the watcher reads from, for the records this file brings: the go-live
        date asked for on upload (the upload's day for a job from before it was asked)."""
        given = self.summary.get("go_live") if isinstance(self.summary, dict) else None
        if given:
            return datetime.date.fromisoformat(given)
        return timezone.localdate(self.created_at) if self.created_at else timezone.localdate()

    @property
    def first_look(self) -> dict[str, Any] | None:
        """What the check said the watcher will make of the file (``home.first_look``)."""
        return self.summary.get("first_look") if isinstance(self.summary, dict) else None

    @property
    def new_records(self) -> int:
        return sum(p.get("new", 0) for p in self.parts)
