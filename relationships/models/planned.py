"""Planned meetings: what was arranged, so silence and missed meetings are measured against it.

A plan holds when, how and the kind of place (never an address). Its life: planned, then
moved (a new time, audited with who moved it), cancelled ahead of time (by whom and why), or,
once its time has passed, answered: held (the logged meeting is linked), the mentee did not
turn up, cancelled by the mentee, or cancelled by the mentor. An answer other than "held" is
logged as a meeting with that outcome too, linked here, so every read of meetings (the
timeline, the watcher, funder reports) sees it once and no rule counts a plan and its meeting
twice. The worker reminds the mentor the day before and asks "Did it happen?" afterwards.
"""

from django.conf import settings
from django.db import models

from relationships.models.meetings import Meeting
from relationships.models.relationship import Relationship


class PlanStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    DID_NOT_ATTEND = "did_not_attend", "The mentee did not turn up"
    CANCELLED_BY_MENTEE = "cancelled_by_mentee", "Cancelled by the mentee"
    CANCELLED_BY_MENTOR = "cancelled_by_mentor", "Cancelled by the mentor"
    CANCELLED_BY_COORDINATOR = "cancelled_by_coordinator", "Cancelled by the coordinator"


class PlannedMeeting(models.Model):
    class Place(models.TextChoices):
        COMMUNITY_VENUE = "community_venue", "Community venue (café, library, centre)"
        PROBATION_OFFICE = "probation_office", "Probation office"
        CUSTODY = "custody", "Custody (prison or young offender institution)"
        PHONE = "phone", "Phone call"
        VIDEO = "video", "Video call"

    Status = PlanStatus

    #: The kind of place a way of meeting implies: a phone or video meeting is a call, a
    #: custody visit is in custody, messages are on a phone. Only the other ways (face to
    #: face, at the prison gate) ask for a place, and never a call.
    PLACE_FOR_MODE = {
        Meeting.Mode.PHONE: Place.PHONE,
        Meeting.Mode.VIDEO: Place.VIDEO,
        Meeting.Mode.CUSTODY_VISIT: Place.CUSTODY,
        Meeting.Mode.MESSAGES: Place.PHONE,
    }
    #: Kinds of place that are a call, not somewhere to meet in person.
    CALLS = (Place.PHONE, Place.VIDEO)

    #: Answers to "Did it happen?" that are not "yes": each is logged as a meeting with the
    #: same outcome (``Meeting.Outcome`` has the same values).
    NOT_HELD_ANSWERS = (
        PlanStatus.DID_NOT_ATTEND,
        PlanStatus.CANCELLED_BY_MENTEE,
        PlanStatus.CANCELLED_BY_MENTOR,
    )

    relationship = models.ForeignKey(
        Relationship, on_delete=models.PROTECT, related_name="planned_meetings"
    )
    starts_at = models.DateTimeField("date and time")
    mode = models.CharField(max_length=20, choices=Meeting.Mode.choices)
    place = models.CharField("kind of place", max_length=20, choices=Place.choices)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.PLANNED)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    meeting = models.OneToOneField(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan",
        help_text="The meeting logged for it: held, or the answer that it was not.",
    )
    reminded_at = models.DateTimeField(
        null=True, blank=True, help_text="When the mentor was reminded, the day before."
    )
    asked_at = models.DateTimeField(
        null=True, blank=True, help_text="When the mentor was asked whether it happened."
    )
    answered_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was answered, cancelled or logged."
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moved_at = models.DateTimeField(null=True, blank=True, help_text="When it was last moved.")
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    move_reason = models.CharField(
        "why it moved", max_length=200, blank=True, help_text="A few words, no names."
    )
    cancel_reason = models.CharField(
        "why it was cancelled", max_length=200, blank=True, help_text="A few words, no names."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["relationship", "starts_at"], name="plan_relationship_starts"),
            models.Index(fields=["status", "starts_at"], name="plan_status_starts"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=PlanStatus.values),
                name="plan_status_known",
                violation_error_message="That is not a plan status Tandem knows.",
            ),
            models.CheckConstraint(
                condition=models.Q(status="planned") | models.Q(answered_at__isnull=False),
                name="plan_answered_has_a_time",
                violation_error_message="An answered or cancelled plan needs the time it was.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="held") | models.Q(meeting__isnull=False),
                name="plan_held_has_its_meeting",
                violation_error_message="A plan answered as held needs its logged meeting.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} planned for {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def how(self) -> str:
        """How and where, in a few words: "Phone call", "Custody visit", or "Face to face ·
        Probation office" (the place only when the way of meeting does not say it)."""
        if self.mode == Meeting.Mode.PHONE:
            return "Phone call"
        if self.mode == Meeting.Mode.VIDEO:
            return "Video call"
        if self.mode in self.PLACE_FOR_MODE:
            return self.get_mode_display()
        return f"{self.get_mode_display()} · {self.get_place_display()}"

    @property
    def is_open(self) -> bool:
        """Still waiting: to happen, or for its outcome."""
        return self.status == self.Status.PLANNED
