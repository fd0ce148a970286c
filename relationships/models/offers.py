"""The offer of a match: a mentor is asked, and answers, before a relationship exists.

A match imposed on a volunteer is a match they may never have agreed to, so a coordinator's
"Match" makes an offer. While it waits for an answer the person keeps their place on the
waiting list (the referral stays "awaiting a match") and the offer takes one of the mentor's
places. Accepting makes the relationship through the usual match; declining, lapsing or
withdrawal leaves the person waiting where they were. Only
``relationships.matching.offer_transitions`` sets the status.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from relationships.models.choices import FirstMeeting


class DeclineReason(models.TextChoices):
    """Why a mentor said no, in their words; coded so a scheme can see patterns."""

    NO_CAPACITY = "no_capacity", "I have no capacity right now"
    NOT_A_FIT = "not_a_fit", "Not a good fit for me"
    CONFLICT = "conflict", "A conflict of interest, or I know the person"
    PERSONAL = "personal", "Personal circumstances"
    OTHER = "other", "Other"


class MatchOffer(models.Model):
    """One mentor asked to mentor one waiting person, with a deadline to answer."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        LAPSED = "lapsed", "Not answered in time"
        WITHDRAWN = "withdrawn", "Withdrawn by the coordinator"

    referral = models.ForeignKey(
        "mentees.Referral", on_delete=models.PROTECT, related_name="offers"
    )
    mentee = models.ForeignKey("mentees.Mentee", on_delete=models.PROTECT, related_name="offers")
    mentor = models.ForeignKey("schemes.Mentor", on_delete=models.PROTECT, related_name="offers")
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    offered_at = models.DateTimeField()
    expires_at = models.DateTimeField(help_text="The answer is due by then.")
    first_meeting = models.CharField(max_length=20, choices=FirstMeeting.choices)
    note = models.CharField(
        max_length=200, blank=True, help_text="Arrangements for the first meeting."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the offer lapsed.",
    )
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    decline_note = models.CharField(max_length=200, blank=True)
    relationship = models.OneToOneField(
        "relationships.Relationship",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offer",
        help_text="The match the accepted offer made.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-offered_at", "-pk"]
        indexes = [models.Index(fields=["status", "expires_at"])]
        constraints = [
            # One question at a time: a person is never offered to two mentors at once.
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(status="pending"),
                name="offer_one_pending_per_referral",
                violation_error_message="This person already has an offer waiting for an answer.",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("offered_at")),
                name="offer_expires_after_it_is_made",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending", answered_at__isnull=True)
                | (~models.Q(status="pending") & models.Q(answered_at__isnull=False)),
                name="offer_answered_iff_not_pending",
            ),
            models.CheckConstraint(
                condition=models.Q(status="declined") & ~models.Q(decline_reason="")
                | ~models.Q(status="declined") & models.Q(decline_reason=""),
                name="offer_declined_iff_reason",
            ),
            # Only an accepted offer made a relationship (it is accepted first, then matched,
            # so that its own place does not count against the mentor's capacity).
            models.CheckConstraint(
                condition=models.Q(relationship__isnull=True) | models.Q(status="accepted"),
                name="offer_relationship_only_if_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"Offer of {self.mentee.short_name} to {self.mentor}"

    @classmethod
    def awaiting_answer(cls, now: datetime.datetime | None = None) -> models.Q:
        """The filter for offers still open for an answer at ``now``: pending, and not past
        their deadline. An offer past its deadline is closed from that moment, whether or not
        the worker has lapsed it yet, so no list, capacity count or check depends on the
        worker's timing. Every read of "an offer waiting for an answer" uses this."""
        return models.Q(status=cls.Status.PENDING, expires_at__gt=now or timezone.now())

    @property
    def is_pending(self) -> bool:
        """Pending in the database: it may be past its deadline, not yet lapsed."""
        return self.status == self.Status.PENDING

    @property
    def is_open(self) -> bool:
        """Still open for an answer now: pending, and its deadline not passed."""
        return self.is_pending and self.expires_at > timezone.now()
