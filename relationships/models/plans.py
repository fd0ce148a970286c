"""The goal plan and its reviews: goals in the mentee's words, small steps with an owner,
and review points with their scores and a snapshot of who owned the steps."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from mentees.models import NeedDomain
from relationships.models.choices import Driving, Party, PrimaryGood
from relationships.models.relationship import Relationship

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
