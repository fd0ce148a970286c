"""A mentor's records: the pipeline's timeline, vetting, training, references, availability
and supervision. ``schemes.models`` imports them all, so import them from there."""

import datetime

from django.conf import settings
from django.db import models

from schemes.choices import MentorStatus


class MentorStatusChange(models.Model):
    """One dated step through the pipeline: the mentor's timeline, and the raw data for
    reporting how long each step takes. The first row of every file is the application
    itself (no ``from_status``)."""

    mentor = models.ForeignKey(
        "schemes.Mentor", on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=MentorStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=MentorStatus.choices)
    changed_on = models.DateField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_on", "created_at", "pk"]
        indexes = [models.Index(fields=["mentor", "changed_on"], name="mentor_change_mentor_on")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_status=models.F("to_status")),
                name="mentor_change_changes_status",
                violation_error_message="The new status must differ from the old one.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor}: {self.from_status or 'new'} → {self.to_status}"


class DBSLevel(models.TextChoices):
    BASIC = "basic", "Basic"
    STANDARD = "standard", "Standard"
    ENHANCED = "enhanced", "Enhanced"
    ENHANCED_BARRED = "enhanced_barred", "Enhanced with barred list"


#: Levels that allow someone to mentor people on bail, on probation or leaving prison. A
#: basic or standard check does not show what an enhanced check does.
LEVELS_FOR_MENTORING = (DBSLevel.ENHANCED, DBSLevel.ENHANCED_BARRED)


class _VettingRecord(models.Model):
    """What DBS checks and prison clearances share: both are issued, both expire, and a
    mentor whose vetting has lapsed must not be matched."""

    issued_on = models.DateField("issue date")
    expires_on = models.DateField("expiry date", help_text="The first day it is no longer valid.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def is_valid_on(self, day: datetime.date) -> bool:
        """Valid from the issue date up to, not including, the expiry date."""
        return self.issued_on <= day < self.expires_on


class DBSCheck(_VettingRecord):
    """A criminal-records check. Moving a mentor to active, and matching them, needs one
    that is valid on the day and at an enhanced level."""

    Level = DBSLevel

    mentor = models.ForeignKey(
        "schemes.Mentor", on_delete=models.CASCADE, related_name="dbs_checks"
    )
    level = models.CharField(max_length=20, choices=Level.choices)

    class Meta:
        ordering = ["-expires_on"]
        verbose_name = "DBS check"
        indexes = [models.Index(fields=["mentor", "expires_on"], name="dbs_mentor_expires")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("issued_on")),
                name="dbs_expires_after_issue",
                violation_error_message="The expiry date must be after the issue date.",
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=DBSLevel.values),
                name="dbs_level_known",
                violation_error_message="That is not a DBS level Tandem knows.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} DBS, expires {self.expires_on:%d %b %Y}"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.level in LEVELS_FOR_MENTORING and super().is_valid_on(day)


class PrisonClearance(_VettingRecord):
    """Security clearance to visit one prison. Meeting a mentee before release is good
    practice, and a mentor can only do it where they are cleared."""

    mentor = models.ForeignKey(
        "schemes.Mentor", on_delete=models.CASCADE, related_name="clearances"
    )
    establishment = models.CharField(max_length=120, help_text="The prison, e.g. HMP Leeds.")

    class Meta:
        ordering = ["establishment", "-expires_on"]
        indexes = [models.Index(fields=["mentor", "expires_on"], name="clearance_mentor_expires")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("issued_on")),
                name="clearance_expires_after_issue",
                violation_error_message="The expiry date must be after the issue date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.establishment}, expires {self.expires_on:%d %b %Y}"


class TrainingRecord(models.Model):
    """A training module the mentor has completed."""

    mentor = models.ForeignKey("schemes.Mentor", on_delete=models.CASCADE, related_name="training")
    module = models.CharField(max_length=120)
    completed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on", "module"]

    def __str__(self) -> str:
        return f"{self.module} ({self.completed_on:%d %b %Y})"


class Reference(models.Model):
    """A reference received for an applicant, and whether it was satisfactory."""

    mentor = models.ForeignKey(
        "schemes.Mentor", on_delete=models.CASCADE, related_name="references"
    )
    referee = models.CharField(max_length=120, help_text="Who gave it, e.g. “Employer”.")
    received_on = models.DateField("received")
    satisfactory = models.BooleanField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on"]

    def __str__(self) -> str:
        return f"Reference from {self.referee}"


class AvailabilitySlot(models.Model):
    """A part of the week the mentor is usually free: what matching compares with the
    mentee's availability."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    class Part(models.TextChoices):
        MORNING = "morning", "Morning"
        AFTERNOON = "afternoon", "Afternoon"
        EVENING = "evening", "Evening"

    mentor = models.ForeignKey("schemes.Mentor", on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    part = models.CharField(max_length=10, choices=Part.choices)

    class Meta:
        ordering = ["weekday", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor", "weekday", "part"],
                name="slot_once_per_mentor",
                violation_error_message="That part of the week is already in their availability.",
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__gte=0, weekday__lte=6),
                name="slot_weekday_in_week",
                violation_error_message="The day must be Monday to Sunday.",
            ),
            models.CheckConstraint(
                condition=models.Q(part__in=["morning", "afternoon", "evening"]),
                name="slot_part_known",
                violation_error_message="The time of day must be morning, afternoon or evening.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.get_part_display().lower()}"


class UnavailablePeriod(models.Model):
    """A stretch when the mentor cannot take on or see mentees (a student's vacation,
    caring duties, an operation). Both dates are included."""

    mentor = models.ForeignKey(
        "schemes.Mentor", on_delete=models.CASCADE, related_name="unavailable_periods"
    )
    starts_on = models.DateField("from")
    ends_on = models.DateField("until", help_text="The last day they are unavailable.")
    reason = models.CharField(max_length=120, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="unavailable_ends_after_start",
                violation_error_message="The last day can't be before the first day.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%d %b %Y} to {self.ends_on:%d %b %Y}"


class SupervisionSession(models.Model):
    """A coordinator's reflective supervision session with a mentor: what protects a
    relationship from drifting into dependency. Notes are for coordinators and managers
    only (see ``supervision_visible_to``)."""

    mentor = models.ForeignKey(
        "schemes.Mentor", on_delete=models.CASCADE, related_name="supervisions"
    )
    held_on = models.DateField()
    notes = models.TextField()
    next_due_on = models.DateField("next due", null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(next_due_on__isnull=True)
                | models.Q(next_due_on__gt=models.F("held_on")),
                name="supervision_next_after_held",
                violation_error_message="The next session must be due after this one.",
            ),
        ]

    def __str__(self) -> str:
        return f"Supervision of {self.mentor} on {self.held_on:%d %b %Y}"
