from django.db import models


class Relationship(models.Model):
    """A match between one mentor and one mentee: the thing the watcher watches.

    A mentor sees a mentee only through a relationship that is not closed, so this model is
    the mentor's whole scope. Meetings, goals, reviews and closure arrive with the
    relationships work; states are here now because scope depends on them.
    """

    class Status(models.TextChoices):
        INTRODUCED = "introduced", "Introduced (first meeting pending)"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        ENDING = "ending", "Ending (exit plan agreed)"
        CLOSED = "closed", "Closed"

    mentee = models.ForeignKey(
        "mentees.Mentee", on_delete=models.PROTECT, related_name="relationships"
    )
    mentor = models.ForeignKey(
        "schemes.Mentor", on_delete=models.PROTECT, related_name="relationships"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.INTRODUCED)
    matched_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-matched_on"]
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
