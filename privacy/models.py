"""Retention, erasure on request and subject access: the records that prove each was done.

A person's record is anonymised (``privacy.anonymise``) when the scheme's retention period has
passed since their referral or relationship ended, or at once when a manager erases it on the
person's request. The audit holds who did it and when, with ids and codes only; the reason a
manager gave for an erasure is kept here, on the ``Erasure``, never in the audit's detail.
A subject-access export is a draft until a manager has read it on screen and released it;
only a released export can be downloaded, and its files are deleted after
``REPORT_FILE_HOURS``, as report files are.
"""

from django.conf import settings
from django.db import models


class RetentionRun(models.Model):
    """One run of the retention worker: what it anonymised and deleted, for the audit."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    people_anonymised = models.PositiveIntegerField(default=0)
    private_notes_deleted = models.PositiveIntegerField(
        default=0, help_text="Meetings whose private notes were deleted."
    )

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Retention run at {self.started_at:%Y-%m-%d %H:%M}"


class Erasure(models.Model):
    """A manager erased a person's record at their request: when, by whom and why."""

    class Reason(models.TextChoices):
        PERSON_ASKED = "person_asked", "The person asked for their record to be erased"
        CONSENT_WITHDRAWN = "consent_withdrawn", "They withdrew consent and asked for erasure"
        NO_LONGER_NEEDED = "no_longer_needed", "The record is no longer needed"
        RECORDED_IN_ERROR = "recorded_in_error", "The record was made in error"
        OTHER = "other", "Another reason"

    mentee = models.OneToOneField(
        "mentees.Mentee", on_delete=models.PROTECT, related_name="erasure"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why, in a few words; kept after anonymising, never in the audit trail, so "
        "it must not name the person or say anything about them.",
    )
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    erased_at = models.DateTimeField()

    class Meta:
        ordering = ["-erased_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reason="other") | ~models.Q(note=""),
                name="erasure_other_has_a_note",
                violation_error_message="Say why the record is being erased",
            ),
        ]

    def __str__(self) -> str:
        return f"Erasure of {self.mentee.reference} on {self.erased_at:%Y-%m-%d}"


class SubjectAccessExport(models.Model):
    """A person's whole record, produced for them on request, as JSON and a PDF.

    Drafted, read on screen by a manager, then released; only released exports download.
    ``record`` is the record itself (what the review page shows and the JSON file is);
    ``pdf`` the same as a printable file. Both are deleted at ``expires_at``."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft: to be reviewed"
        RELEASED = "released", "Released"
        EXPIRED = "expired", "Files deleted"

    mentee = models.ForeignKey(
        "mentees.Mentee", on_delete=models.PROTECT, related_name="access_exports"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    record = models.JSONField(null=True, blank=True, editable=False)
    pdf = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="released")
                | models.Q(released_by__isnull=False, released_at__isnull=False),
                name="subject_access_released_says_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"Subject access export {self.pk} ({self.get_status_display()})"

    @property
    def is_downloadable(self) -> bool:
        return self.status == self.Status.RELEASED and self.record is not None
