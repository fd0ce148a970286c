"""Concerns: a safeguarding or risk worry about a mentee, tracked from the moment it is raised
to a coded outcome.

A mentor raises one on the meeting form; a coordinator raises one from the mentee's or the
relationship's page. Each has a life (received → acknowledged → closed, set only by
``concerns.transitions``), dated actions in between, and a time by which a coordinator must
acknowledge it (the scheme's ``concern_acknowledge_hours``): past it, the worker escalates it
to the managers. The words are written once, here; the meeting a mentor raised it on points
to it. Concerns sit below the case work: they reach mentees, relationships and meetings by
string references only, so ``relationships`` may call ``concerns.services`` and not the
other way round.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse


class Category(models.TextChoices):
    SAFEGUARDING_MENTEE = "safeguarding_mentee", "Safeguarding the mentee"
    RISK_TO_OTHERS = "risk_to_others", "Risk to others"
    RISK_TO_MENTOR = "risk_to_mentor", "Risk to the mentor"
    OTHER = "other", "Something else"


class Urgency(models.TextChoices):
    TODAY = "today", "Urgent: needs action today"
    ROUTINE = "routine", "Not urgent"


class Outcome(models.TextChoices):
    """How a concern ended: coded, so a funder report could count them without words."""

    RESOLVED = "resolved", "Resolved within the scheme"
    REFERRED = "referred", "Referred to another agency"
    NO_FURTHER_ACTION = "no_further_action", "No further action needed"
    RELATIONSHIP_ENDED = "relationship_ended", "The relationship ended"
    OTHER = "other", "Other (say in the note)"


class Concern(models.Model):
    """A worry about a mentee's safety, or the risk they pose, that someone must answer.

    ``due_at`` is fixed when the concern is raised (raised + the scheme's hours), so a later
    change to the scheme's setting does not move the deadline of a concern already waiting."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        CLOSED = "closed", "Closed"

    OPEN_STATUSES = (Status.RECEIVED, Status.ACKNOWLEDGED)

    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="+")
    mentee = models.ForeignKey("mentees.Mentee", on_delete=models.PROTECT, related_name="concerns")
    relationship = models.ForeignKey(
        "relationships.Relationship",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concerns",
    )
    meeting = models.OneToOneField(
        "relationships.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concern",
        help_text="The meeting a mentor raised it on, if any.",
    )
    # Null only for concerns carried over from meetings that did not record who logged them.
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField()
    category = models.CharField(max_length=24, choices=Category.choices)
    urgency = models.CharField(max_length=12, choices=Urgency.choices, default=Urgency.ROUTINE)
    words = models.TextField("what the concern is")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED)
    due_at = models.DateTimeField(help_text="Acknowledge by then, or it goes to the managers.")
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    carried_over = models.BooleanField(
        default=False,
        help_text="Written on a meeting before Tandem tracked concerns: nobody could "
        "acknowledge it then, so it is never escalated or timed.",
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True)
    closing_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at"]
        indexes = [
            models.Index(fields=["scheme", "status"]),
            models.Index(
                fields=["due_at"],
                name="concern_waiting_due",
                condition=Q(status="received", escalated_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="concern_has_words",
                condition=~Q(words=""),
                violation_error_message=("Say what the concern is"),
            ),
            models.CheckConstraint(
                name="concern_due_after_raised", condition=Q(due_at__gte=models.F("raised_at"))
            ),
            # Received: nobody has acknowledged or closed it yet.
            models.CheckConstraint(
                name="concern_received_is_untouched",
                condition=~Q(status="received")
                | Q(acknowledged_at__isnull=True, closed_at__isnull=True, outcome=""),
            ),
            # Acknowledged and closed: who and when it was acknowledged.
            models.CheckConstraint(
                name="concern_acknowledged_says_who_and_when",
                condition=Q(status="received")
                | Q(acknowledged_by__isnull=False, acknowledged_at__isnull=False),
            ),
            models.CheckConstraint(
                name="concern_acknowledged_is_not_closed",
                condition=~Q(status="acknowledged") | Q(closed_at__isnull=True, outcome=""),
            ),
            # Closed: who, when, and how it ended.
            models.CheckConstraint(
                name="concern_closed_with_an_outcome",
                condition=~Q(status="closed")
                | (Q(closed_by__isnull=False, closed_at__isnull=False) & ~Q(outcome="")),
            ),
        ]

    def __str__(self) -> str:
        return f"Concern {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("concerns:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """What a notification or an email names it by: a number, never its words."""
        return f"C-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def clean(self) -> None:
        if not self.words.strip():
            raise ValidationError({"words": "Say what the concern is"})
        if self.status == self.Status.CLOSED and not self.outcome:
            raise ValidationError({"outcome": "Select how the concern ended"})
        if self.meeting_id and self.relationship_id is None:
            raise ValidationError("A concern raised on a meeting belongs to its relationship")


class ActionKind(models.TextChoices):
    CALLED_MENTEE = "called_mentee", "Called the mentee"
    INFORMED_PROBATION = "informed_probation", "Informed probation"
    SAFEGUARDING_BOARD = "safeguarding_board", "Referred to the local safeguarding board"
    POLICE = "police", "Told the police"
    GP = "gp", "Contacted the GP"
    OTHER_AGENCY = "other_agency", "Referred to another agency"
    SPOKE_TO_MENTOR = "spoke_to_mentor", "Spoke to the mentor"
    OTHER = "other", "Something else"


class ConcernAction(models.Model):
    """One dated thing done about a concern, in a short record. Staff read these; the mentor
    who raised the concern never does."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField("what was done", max_length=24, choices=ActionKind.choices)
    taken_on = models.DateField("when")
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["taken_on", "recorded_at"]
        constraints = [
            models.CheckConstraint(
                name="concern_action_other_has_a_note",
                condition=~Q(kind="other") | ~Q(note=""),
                violation_error_message="Say what was done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.taken_on}"
