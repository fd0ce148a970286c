"""Report exports: a background job per request, its progress, and the file it made.

Files live in the database (a few megabytes at most) so the web app and the worker share them
without shared disks, and they expire: after ``REPORT_FILE_HOURS`` the content is deleted and
only the record of who asked for what remains.
"""

from django.conf import settings
from django.db import models


class ReportExport(models.Model):
    class Kind(models.TextChoices):
        FUNDER = "funder", "Funder report (aggregate, no names)"
        CASE_EXTRACT = "case_extract", "Case-level extract (pseudonymous ids, managers only)"

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel (XLSX)"
        CSV = "csv", "CSV files (zip)"
        PDF = "pdf", "PDF for trustees"
        JSON = "json", "JSON (every figure)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_exports"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FUNDER)
    scheme_ids = models.JSONField(help_text="The schemes covered, checked against the asker.")
    funder = models.CharField(max_length=120, blank=True)
    date_from = models.DateField()
    date_to = models.DateField()
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.XLSX)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=200, blank=True)
    # What the page shows once done: the report's figures and tables, never names.
    summary = models.JSONField(null=True, blank=True)
    content = models.BinaryField(null=True, blank=True, editable=False)
    filename = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_from__lte=models.F("date_to")),
                name="report_export_period_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="report_export_progress_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date_from}–{self.date_to} ({self.format})"

    #: The case-level extract is one CSV file, whatever else the funder report comes as.
    EXTRACT_FORMAT_ERROR = "The case-level extract comes as one CSV file: choose CSV"

    @property
    def format_label(self) -> str:
        """What the file is, in words: the extract is one CSV file, not a zip of them."""
        if self.kind == self.Kind.CASE_EXTRACT:
            return "CSV file"
        return self.get_format_display()

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED)
