"""Meetings: every contact between mentor and mentee, held or not, with who started it and
what it was for."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from relationships.models.choices import Party
from relationships.models.plans import Goal
from relationships.models.relationship import Relationship


class Meeting(models.Model):
    """A contact between mentor and mentee, held or not. Logged by the mentor, mostly on a
    phone, so the form carries ``client_id`` and a second submission is the same meeting."""

    class Mode(models.TextChoices):
        FACE_TO_FACE = "face_to_face", "Face to face"
        PHONE = "phone", "Phone"
        VIDEO = "video", "Video"
        MESSAGES = "messages", "Messages"
        CUSTODY_VISIT = "custody_visit", "Custody visit"
        PRISON_GATE = "prison_gate", "Prison gate"

    FACE_TO_FACE_MODES = (Mode.FACE_TO_FACE, Mode.CUSTODY_VISIT, Mode.PRISON_GATE)

    class Outcome(models.TextChoices):
        MET = "met", "Met"
        DID_NOT_ATTEND = "did_not_attend", "Mentee did not attend"
        CANCELLED_BY_MENTEE = "cancelled_by_mentee", "Cancelled by mentee"
        CANCELLED_BY_MENTOR = "cancelled_by_mentor", "Cancelled by mentor"

    class Purpose(models.TextChoices):
        GOALS = "goals", "Working on goals"
        HELP_WITH = "help_with", "Practical help done with the mentee"
        HELP_FOR = "help_for", "Practical help done for the mentee (lifts, calls on their behalf)"
        SOCIAL = "social", "Social"
        CRISIS = "crisis", "Crisis"
        #: For imported history whose records do not say, and for a planned meeting answered as
        #: not held; never offered on a form.
        NOT_RECORDED = "not_recorded", "Not recorded"

    relationship = models.ForeignKey(
        Relationship, on_delete=models.PROTECT, related_name="meetings"
    )
    client_id = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text="Made by the form that logged it, so a repeat submission is recognised.",
    )
    held_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(24 * 60)], default=60
    )
    mode = models.CharField(max_length=20, choices=Mode.choices)
    initiated_by = models.CharField(
        max_length=12,
        choices=[
            (Party.MENTEE, "The mentee"),
            (Party.MENTOR, "The mentor"),
            (Party.COORDINATOR, "The coordinator"),
        ],
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.MET)
    purpose = models.CharField("what it was for", max_length=20, choices=Purpose.choices)
    goals = models.ManyToManyField(Goal, blank=True, related_name="meetings")
    note_shared = models.TextField(
        "notes for the coordinator", blank=True, help_text="Your coordinator can read these."
    )
    note_private = models.TextField(
        "private notes", blank=True, help_text="Only you can read these. Never exported."
    )
    expenses = models.DecimalField(
        "expenses (£)",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_at"]
        indexes = [models.Index(fields=["relationship", "held_at"])]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} on {self.held_at:%Y-%m-%d}"

    @property
    def was_held(self) -> bool:
        return self.outcome == self.Outcome.MET
