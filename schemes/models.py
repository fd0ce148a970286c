from django.conf import settings
from django.db import models
from django.db.models.functions import Lower


class Scheme(models.Model):
    """A mentoring service: the unit of scope for coordinators and mentors.

    Everything on a case (mentees, mentors, relationships) belongs to exactly one scheme, and
    a coordinator sees only the schemes they coordinate. Rules, targets and funders arrive with
    the caseload work; the name and kind are what every page needs now.
    """

    class Kind(models.TextChoices):
        RESETTLEMENT = "resettlement", "Resettlement (leaving prison)"
        BAIL_SUPPORT = "bail_support", "Bail support"
        COMMUNITY = "community", "Community (probation)"
        OTHER = "other", "Other"

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    area = models.CharField(max_length=120, help_text="The geography the scheme serves.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="scheme_name_unique_ci",
                violation_error_message="A scheme with this name already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Mentor(models.Model):
    """A mentor's file in one scheme's pool.

    A mentor may exist before they have a login (an applicant) and a person may mentor in
    more than one scheme, so the file links to a user account optionally and per scheme.
    Pipeline, vetting and availability come with the caseload work.
    """

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="mentors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentor_files",
    )
    given_name = models.CharField(max_length=80)
    family_name = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "user"],
                condition=models.Q(user__isnull=False),
                name="mentor_one_file_per_user_per_scheme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"
