"""What a mentor keeps on their own file (a capacity request, a reflection for supervision)
and the worker's record of the expiry reminders it sent. ``schemes.models`` imports them all,
so import them from there."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class CapacityRequest(models.Model):
    """A mentor asking to take on more or fewer mentees at one time. Capacity decides who is
    offered new mentees, so a coordinator approves the change; the mentor sees the outcome.
    A mentor has at most one request waiting."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for your coordinator"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    mentor = models.ForeignKey(
        "schemes.Mentor", on_delete=models.CASCADE, related_name="capacity_requests"
    )
    requested = models.PositiveSmallIntegerField(
        "mentees at one time", validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    reason = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor"],
                condition=models.Q(status="requested"),
                name="capacity_request_one_waiting",
                violation_error_message="You already have a request waiting.",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["requested", "approved", "declined"]),
                name="capacity_request_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(requested__gte=1, requested__lte=20),
                name="capacity_request_in_range",
                violation_error_message="Ask for between 1 and 20 mentees.",
            ),
            models.CheckConstraint(
                condition=models.Q(status="requested") | models.Q(decided_on__isnull=False),
                name="capacity_request_decided_is_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor}: capacity {self.requested} ({self.get_status_display()})"


class ExpiryReminder(models.Model):
    """One reminder the worker sent before a DBS check or a prison clearance expires: the
    first (``Scheme.expiry_first_reminder_days`` before) or the last. Kept so each is sent
    once per record, however often, or late, the daily task runs."""

    class Stage(models.TextChoices):
        FIRST = "first", "First reminder"
        LAST = "last", "Last reminder"

    dbs_check = models.ForeignKey(
        "schemes.DBSCheck", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    clearance = models.ForeignKey(
        "schemes.PrisonClearance",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    stage = models.CharField(max_length=5, choices=Stage.choices)
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dbs_check__isnull=True) ^ models.Q(clearance__isnull=True),
                name="expiry_reminder_one_record",
            ),
            models.UniqueConstraint(
                fields=["dbs_check", "stage"],
                condition=models.Q(dbs_check__isnull=False),
                name="expiry_reminder_once_per_dbs_stage",
            ),
            models.UniqueConstraint(
                fields=["clearance", "stage"],
                condition=models.Q(clearance__isnull=False),
                name="expiry_reminder_once_per_clearance_stage",
            ),
            models.CheckConstraint(
                condition=models.Q(stage__in=["first", "last"]), name="expiry_reminder_stage_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} on {self.sent_on:%d %b %Y}"


class ReflectionNote(models.Model):
    """The mentor's own note for their next supervision: what went well, what worried them.
    Private to the mentor unless they tick ``shared``; then the scheme's coordinators (who
    supervise them; not managers) read it on the mentor's file. Never in a report or an
    export, and deleted when the mentor leaves the scheme (``mentor_transition``)."""

    mentor = models.OneToOneField(
        "schemes.Mentor", on_delete=models.CASCADE, related_name="reflection"
    )
    text = models.TextField(max_length=4000)
    shared = models.BooleanField("share with my coordinator", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Reflection of {self.mentor}"
