"""The match and its life: the relationship, its dated changes and its pauses.

A mentor sees a mentee only through a relationship that is not closed, so ``Relationship`` is
the mentor's whole scope. Pauses are periods of their own, so paused time can be left out of
the watcher's silence count set-wise.
"""

from django.conf import settings
from django.db import models


class Relationship(models.Model):
    """A match between one mentor and one mentee: the thing the watcher watches."""

    class Status(models.TextChoices):
        INTRODUCED = "introduced", "Introduced (first meeting pending)"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        ENDING = "ending", "Ending (exit plan agreed)"
        CLOSED = "closed", "Closed"

    OPEN_STATUSES = (Status.INTRODUCED, Status.ACTIVE, Status.PAUSED, Status.ENDING)

    class ClosureType(models.TextChoices):
        PLANNED = "planned", "Planned"
        UNPLANNED = "unplanned", "Unplanned"

    class ClosureReason(models.TextChoices):
        GOALS_ACHIEVED = "goals_achieved", "Goals achieved"
        MENTEE_WITHDREW = "mentee_withdrew", "Mentee withdrew"
        LOST_CONTACT = "lost_contact", "Lost contact"
        CUSTODY = "custody", "Mentee went into custody"
        MENTOR_LEFT = "mentor_left", "Mentor left"
        MOVED_AWAY = "moved_away", "Moved away"
        SCHEME_RULES = "scheme_rules", "Scheme rules (cap reached, ineligible)"
        REMATCHED = "rematched", "Re-matched with another mentor"
        OTHER = "other", "Other"

    class ContactAfter(models.TextChoices):
        NONE = "none", "No further contact"
        THROUGH_SCHEME = "through_scheme", "Only through the scheme"
        INFORMAL = "informal", "Informal contact agreed by both"

    mentee = models.ForeignKey(
        "mentees.Mentee", on_delete=models.PROTECT, related_name="relationships"
    )
    mentor = models.ForeignKey(
        "schemes.Mentor", on_delete=models.PROTECT, related_name="relationships"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.INTRODUCED)
    matched_on = models.DateField()
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    matched_in_custody = models.BooleanField(
        default=False, help_text="Matched while the mentee was still in custody."
    )
    next_review_on = models.DateField(
        null=True, blank=True, help_text="When the next review point falls due."
    )

    # Ending: the exit plan both sides agreed.
    watched_from = models.DateField(
        null=True,
        blank=True,
        help_text="The watcher reads nothing before this day: the scheme's go-live date, for "
        "a relationship imported from its records. Empty: everything counts.",
    )
    exit_plan = models.TextField(blank=True)
    planned_end_on = models.DateField(null=True, blank=True)

    # Closure.
    closed_on = models.DateField(null=True, blank=True)
    closure_type = models.CharField(max_length=10, choices=ClosureType.choices, blank=True)
    closure_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    final_review = models.TextField(blank=True)
    contact_after = models.CharField(max_length=20, choices=ContactAfter.choices, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-matched_on"]
        indexes = [models.Index(fields=["status", "next_review_on"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(status="closed", closed_on__isnull=False)
                    | (~models.Q(status="closed") & models.Q(closed_on__isnull=True))
                ),
                name="relationship_closed_iff_closed_on",
            ),
            # One mentor at a time: a re-match closes the old relationship first, so the
            # history stays and the funnel never counts one person twice.
            models.UniqueConstraint(
                fields=["mentee"],
                condition=~models.Q(status="closed"),
                name="relationship_one_open_per_mentee",
                violation_error_message="This mentee already has an open relationship.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} with {self.mentee}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class RelationshipChange(models.Model):
    """One step in a relationship's life, with why: the history a re-open or an appeal needs."""

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=20, choices=Relationship.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Relationship.Status.choices)
    on = models.DateField()
    reason = models.CharField(max_length=300, blank=True)
    # The longer words that went with the step: the exit plan agreed, or the final review at
    # closure. Kept here because a re-open clears them from the relationship itself.
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "created_at"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status} on {self.on}"


class Pause(models.Model):
    """A period the relationship was on hold. Paused time never counts as silence."""

    class Reason(models.TextChoices):
        CUSTODY = "custody", "Recalled or remanded to custody"
        HOSPITAL = "hospital", "In hospital"
        MENTOR_BREAK = "mentor_break", "Mentor taking a break"
        OTHER = "other", "Other"

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=300, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="The day it resumed.")

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship"],
                condition=models.Q(ends_on__isnull=True),
                name="pause_one_open_per_relationship",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="pause_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} from {self.starts_on}"
