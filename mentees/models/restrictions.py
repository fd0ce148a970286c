"""Safety restrictions from a risk assessment, and what a matched mentor is told."""

from django.conf import settings
from django.db import models

from mentees.models.people import Mentee


class RestrictionKind(models.TextChoices):
    NO_LONE_MEETINGS = "no_lone_meetings", "No lone meetings"
    PUBLIC_PLACES_ONLY = "public_places_only", "Meet in public places only"
    NO_HOME_VISITS = "no_home_visits", "No home visits"
    NO_FEMALE_MENTOR = "no_female_mentor", "Not with a female mentor"
    NO_MALE_MENTOR = "no_male_mentor", "Not with a male mentor"
    OTHER = "other", "Other"


class SafetyRestriction(models.Model):
    """A restriction from a risk assessment.

    Two audiences: ``assessment_notes`` (why) are for coordinators only; a matched mentor
    sees only ``instruction``, the plain instruction that applies to them.
    """

    mentee = models.ForeignKey(Mentee, on_delete=models.PROTECT, related_name="restrictions")
    kind = models.CharField(max_length=30, choices=RestrictionKind.choices)
    instruction = models.CharField(
        max_length=200, help_text="What the mentor is told, e.g. 'Meet only in public places'."
    )
    assessment_notes = models.TextField(
        blank=True, help_text="From the risk assessment. Coordinators only."
    )
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ended_on", "-recorded_on"]

    def __str__(self) -> str:
        return self.get_kind_display()
