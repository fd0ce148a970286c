"""The match and its life: meetings, goal plans, reviews, pauses and closure.

A mentor sees a mentee only through a relationship that is not closed, so ``Relationship`` is
the mentor's whole scope. Everything the watcher reads lives here, stored so that it can be
read set-wise: pauses as periods, reviews with their scores and a snapshot of who owned the
steps, meetings with who started them and what they were for.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from mentees.models import NeedDomain


class PrimaryGood(models.TextChoices):
    """The Good Lives Model's primary goods: what people seek for their own sake."""

    LIFE_HEALTH = "life_health", "Life and health"
    KNOWLEDGE = "knowledge", "Knowledge"
    EXCELLENCE = "excellence", "Excellence in work and play"
    AGENCY = "agency", "Agency (making my own choices)"
    INNER_PEACE = "inner_peace", "Inner peace"
    RELATEDNESS = "relatedness", "Relatedness (friendship, family)"
    COMMUNITY = "community", "Community"
    SPIRITUALITY = "spirituality", "Spirituality"
    PLEASURE = "pleasure", "Pleasure"
    CREATIVITY = "creativity", "Creativity"


class Party(models.TextChoices):
    """Who did something: proposed a goal, owns a step, started a contact."""

    MENTEE = "mentee", "Mentee"
    MENTOR = "mentor", "Mentor"
    TOGETHER = "together", "Together"
    COORDINATOR = "coordinator", "Coordinator"


class Driving(models.TextChoices):
    """Who is driving the relationship, as each side sees it at a review."""

    MENTEE_LED = "mentee_led", "Mentee-led"
    SHARED = "shared", "Shared"
    MENTOR_LED = "mentor_led", "Mentor-led"


#: Who proposed a goal, and who owns a step: the forms offer the same choices.
GOAL_PROPOSERS = [
    (Party.MENTEE, "The mentee"),
    (Party.MENTOR, "The mentor"),
    (Party.TOGETHER, "Jointly"),
]
STEP_OWNERS = [
    (Party.MENTEE, "The mentee"),
    (Party.MENTOR, "The mentor"),
    (Party.TOGETHER, "Together"),
]


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


class Goal(models.Model):
    """A goal agreed together, in the mentee's words, with the practical domain it sits in
    and the primary good it serves."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Working on it"
        ACHIEVED = "achieved", "Achieved"
        DROPPED = "dropped", "Dropped"

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField("the goal, in the mentee's words", max_length=200)
    proposed_by = models.CharField(max_length=12, choices=GOAL_PROPOSERS)
    domain = models.CharField(max_length=20, choices=NeedDomain.choices)
    primary_good = models.CharField(max_length=20, choices=PrimaryGood.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    agreed_on = models.DateField()
    closed_on = models.DateField(
        null=True, blank=True, help_text="When it was achieved or dropped."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="active", closed_on__isnull=True)
                | (~models.Q(status="active") & models.Q(closed_on__isnull=False)),
                name="goal_closed_on_iff_not_active",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Step(models.Model):
    """A small action towards a goal, with an owner and a due date."""

    class Status(models.TextChoices):
        TO_DO = "to_do", "To do"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    description = models.CharField(max_length=200)
    owner = models.CharField(max_length=12, choices=STEP_OWNERS)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.TO_DO)
    done_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description


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
    concern = models.TextField(
        blank=True,
        help_text="A safeguarding or risk concern. It goes to your coordinator straight away.",
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


class Review(models.Model):
    """A review point: progress per goal, each side's view of who drives the relationship
    and how it is going, and, every time, the plan for ending."""

    relationship = models.ForeignKey(Relationship, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    due_on = models.DateField(null=True, blank=True, help_text="When this review fell due.")
    mentee_driving = models.CharField(
        "who the mentee says is driving", max_length=12, choices=Driving.choices
    )
    mentor_driving = models.CharField(
        "who the mentor says is driving", max_length=12, choices=Driving.choices
    )
    mentee_rating = models.PositiveSmallIntegerField(
        "how it is going, for the mentee (1-10)",
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    mentor_rating = models.PositiveSmallIntegerField(
        "how it is going, for the mentor (1-10)",
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    goal_changes = models.TextField("goals added, changed or dropped", blank=True)
    ending_plan = models.TextField(
        "the plan for ending", help_text="Required at every review: how and when this will end."
    )
    # A snapshot of the goal plan's steps when the review was held, so a falling share of
    # steps owned by the mentee can be seen across reviews.
    steps_total = models.PositiveSmallIntegerField(default=0)
    steps_owned_by_mentee = models.PositiveSmallIntegerField(default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "pk"]
        indexes = [models.Index(fields=["relationship", "held_on"])]

    def __str__(self) -> str:
        return f"Review on {self.held_on}"


class GoalScore(models.Model):
    """Progress on one goal at one review, 1-10. The domain is copied from the goal so
    distance travelled per domain is one grouped query."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="scores")
    domain = models.CharField(max_length=20, choices=NeedDomain.choices)
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "goal"], name="goal_score_once_per_review"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=10), name="goal_score_1_to_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.score}"
