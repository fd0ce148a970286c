"""Flags: signals that a relationship is stalling or drifting toward dependency.

A flag prompts reflection, never punishment. Each one carries the evidence that raised it in
plain words with the numbers, and a life: open, acknowledged (by whom, and what was done),
resolved (by the sweep when the condition clears, or by hand).
"""

from django.conf import settings
from django.db import models


class Category(models.TextChoices):
    STALLING = "stalling", "Stalling"
    DEPENDENCY = "dependency", "Dependency risk"


class Kind(models.TextChoices):
    # Stalling: never got off the ground, or petering out.
    NO_FIRST_MEETING = "no_first_meeting", "No first meeting"
    NO_CONTACT_AFTER_RELEASE = "no_contact_after_release", "No contact since release"
    SILENCE = "silence", "No recent meeting"
    GAPS_GROWING = "gaps_growing", "Gaps between meetings growing"
    MISSED_MEETINGS = "missed_meetings", "Meetings missed"
    REVIEW_OVERDUE = "review_overdue", "Review overdue"
    SCORES_FLAT = "scores_flat", "Goal scores unchanged"
    WAITING_FOR_MATCH = "waiting_for_match", "Waiting long for a match"
    NO_CONTACT_ATTEMPT = "no_contact_attempt", "No recent contact attempt"
    OFFER_NOT_ANSWERED = "offer_not_answered", "Offer of a match not answered in time"
    PLAN_OUTCOME_NOT_RECORDED = "plan_outcome_not_recorded", "Meeting outcome not recorded"
    # Drifting toward dependency.
    MENTOR_DRIVING = "mentor_driving", "Mentor driving"
    DONE_FOR = "done_for", "Doing things for the mentee"
    TOO_LONG = "too_long", "Running on with no ending plan"
    CONTACT_RISING = "contact_rising", "Contact rising, progress flat"
    MENTEE_STEPS_FALLING = "mentee_steps_falling", "Mentee owns fewer steps"
    DRIVING_GAP = "driving_gap", "Different views of who leads"


DEPENDENCY_KINDS = frozenset(
    {
        Kind.MENTOR_DRIVING,
        Kind.DONE_FOR,
        Kind.TOO_LONG,
        Kind.CONTACT_RISING,
        Kind.MENTEE_STEPS_FALLING,
        Kind.DRIVING_GAP,
    }
)
REFERRAL_KINDS = frozenset(
    {Kind.WAITING_FOR_MATCH, Kind.NO_CONTACT_ATTEMPT, Kind.OFFER_NOT_ANSWERED}
)


def category_of(kind: str) -> Category:
    return Category.DEPENDENCY if kind in DEPENDENCY_KINDS else Category.STALLING


class Severity(models.IntegerChoices):
    LOW = 1, "Low"
    MEDIUM = 2, "Medium"
    HIGH = 3, "High"


class Action(models.TextChoices):
    """What a coordinator did about a flag when acknowledging it."""

    SUPERVISION_BOOKED = "supervision_booked", "Supervision booked with the mentor"
    REVIEW_BROUGHT_FORWARD = "review_brought_forward", "Review brought forward"
    TALKED_WITH_MENTOR = "talked_with_mentor", "Talked with the mentor"
    CONTACTED_MENTEE = "contacted_mentee", "Contacted the mentee"
    NO_ACTION_NEEDED = "no_action_needed", "No action needed (say why)"
    NOT_USEFUL = "not_useful", "Not a useful flag (say why)"


class Flag(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        RESOLVED = "resolved", "Resolved"

    LIVE_STATUSES = (Status.OPEN, Status.ACKNOWLEDGED)

    kind = models.CharField(max_length=30, choices=Kind.choices)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices)
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="flags")
    relationship = models.ForeignKey(
        "relationships.Relationship",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="flags",
    )
    referral = models.ForeignKey(
        "mentees.Referral", null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    evidence = models.CharField(max_length=400, help_text="Why it was raised, with the numbers.")
    figures = models.JSONField(default=dict, blank=True)
    raised_at = models.DateTimeField()
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.OPEN)

    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=30, choices=Action.choices, blank=True)
    action_note = models.CharField(max_length=500, blank=True)

    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the sweep resolved it because the condition cleared.",
    )
    resolution_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-severity", "raised_at"]
        indexes = [
            models.Index(fields=["scheme", "status"]),
            models.Index(fields=["kind", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(relationship__isnull=False, referral__isnull=True)
                | models.Q(relationship__isnull=True, referral__isnull=False),
                name="flag_on_a_relationship_or_a_referral",
            ),
            # At most one live flag of a kind per relationship (and per referral): two sweeps
            # at once cannot raise the same flag twice.
            models.UniqueConstraint(
                fields=["kind", "relationship"],
                condition=models.Q(status__in=["open", "acknowledged"], relationship__isnull=False),
                name="flag_one_live_per_kind_and_relationship",
            ),
            models.UniqueConstraint(
                fields=["kind", "referral"],
                condition=models.Q(status__in=["open", "acknowledged"], referral__isnull=False),
                name="flag_one_live_per_kind_and_referral",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="resolved") | models.Q(resolved_at__isnull=False),
                name="flag_resolved_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.evidence}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("flags:detail", args=[self.pk])

    @property
    def action_label(self) -> str:
        """What was done, as it is shown once done: the choice's label without the form's
        prompt ("Not a useful flag", not "Not a useful flag (say why)")."""
        return str(self.get_action_display()).removesuffix(" (say why)")

    @property
    def target_url(self) -> str:
        """Where to act on it: the relationship, or the waiting person's record."""
        from django.urls import reverse

        if self.relationship_id:
            return reverse("relationships:detail", args=[self.relationship_id])
        if self.referral is None:  # ruled out by the flag_on_a_relationship_or_a_referral check
            raise ValueError(f"Flag {self.pk} is on neither a relationship nor a referral.")
        return reverse("mentees:detail", args=[self.referral.mentee_id])

    @property
    def category(self) -> Category:
        return category_of(self.kind)

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE_STATUSES
