"""How a scheme is paid for and what it is asked to reach: grants and funnel targets."""

from django.db import models

from schemes.models.scheme import Scheme


class Funding(models.Model):
    """A grant or contract that pays for the scheme, with its period."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="fundings")
    funder = models.CharField(max_length=120)
    reference = models.CharField(max_length=60, blank=True, help_text="Grant or contract number.")
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="funding_ends_after_it_starts",
                violation_error_message="The grant period ends before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder} ({self.starts_on:%b %Y} – {self.ends_on:%b %Y})"


class FunnelStage(models.TextChoices):
    """The stages a funder report counts. Targets are set against these, not referrals alone."""

    REFERRED = "referred", "Referred"
    CONSENTED = "consented", "Consented"
    MATCHED = "matched", "Matched"
    ANY_CONTACT = "any_contact", "Any contact with a mentor"
    FACE_TO_FACE = "face_to_face", "Face-to-face contact"
    MET_3_PLUS = "met_3_plus", "Met 3 or more times"
    MET_5_PLUS = "met_5_plus", "Met 5 or more times"
    ENDED_AS_PLANNED = "ended_as_planned", "Relationship ended as planned"


class Target(models.Model):
    """A numeric target for one funnel stage over one period."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="targets")
    stage = models.CharField(max_length=20, choices=FunnelStage.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    number = models.PositiveIntegerField()

    class Meta:
        ordering = ["starts_on", "stage"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="target_ends_after_it_starts",
                violation_error_message="The period ends before it starts.",
            ),
            models.UniqueConstraint(
                fields=["scheme", "stage", "starts_on", "ends_on"],
                name="target_one_per_stage_and_period",
                violation_error_message="There is already a target for this stage and period.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.number}"
