from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower

from schemes.choices import MENTOR_TRANSITIONS, MentorKind, MentorStatus


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


def validate_word_list(value: object) -> None:
    """Languages, interests and skills are short labels that matching will compare, so each
    list holds plain strings only (a JSON list works the same on SQLite and PostgreSQL)."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError("Give a list of words, separated by commas.")
    if len(value) > 30:
        raise ValidationError("Give at most 30 entries.")
    if any(len(v) > 60 for v in value):
        raise ValidationError("Keep each entry under 60 characters.")


postcode_district = RegexValidator(
    r"^[A-Z]{1,2}[0-9][A-Z0-9]?$",
    "Give the first half of a postcode, for example LS6 or SW1A.",
)


class Mentor(models.Model):
    """A mentor's file in one scheme's pool.

    A mentor may exist before they have a login (an applicant) and a person may mentor in
    more than one scheme, so the file links to a user account optionally and per scheme.

    The file follows the recruitment pipeline (``Status``). ``applied_on`` is fixed once
    recorded and ``first_active_on`` is set once, so the time from application to active
    (the vetting lag that starves schemes of mentors) can be reported honestly.
    """

    Kind = MentorKind
    Status = MentorStatus

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
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.VOLUNTEER)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    home_area = models.CharField(
        "home area",
        max_length=4,
        blank=True,
        validators=[postcode_district],
        help_text="Postcode district, for example LS6.",
    )
    travel_km = models.PositiveSmallIntegerField(
        "how far they can travel (km)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(500)],
    )
    languages = models.JSONField(default=list, blank=True, validators=[validate_word_list])
    interests = models.JSONField(default=list, blank=True, validators=[validate_word_list])
    skills = models.JSONField(default=list, blank=True, validators=[validate_word_list])
    # Self-description only, never a pick-list: the research found matching on gender and
    # ethnicity left people unmatched, so these are a preference a mentee may ask for.
    gender_self_description = models.CharField(
        "gender, in their own words (optional)", max_length=60, blank=True
    )
    ethnicity_self_description = models.CharField(
        "ethnicity, in their own words (optional)", max_length=60, blank=True
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.APPLIED)
    status_since = models.DateField(help_text="The date of the latest status change.")
    applied_on = models.DateField()
    first_active_on = models.DateField(null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="The most mentees they can have at one time.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["scheme", "status"], name="mentor_scheme_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "user"],
                condition=models.Q(user__isnull=False),
                name="mentor_one_file_per_user_per_scheme",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=MentorStatus.values),
                name="mentor_status_known",
                violation_error_message="That is not a mentor status Tandem knows.",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=MentorKind.values),
                name="mentor_kind_known",
                violation_error_message="That is not a kind of mentor Tandem knows.",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1),
                name="mentor_capacity_at_least_one",
                violation_error_message="Capacity must be at least one mentee.",
            ),
            models.CheckConstraint(
                condition=models.Q(status_since__gte=models.F("applied_on")),
                name="mentor_status_since_after_applied",
                violation_error_message="A status can't start before the application date.",
            ),
            # Active and paused are reached only through active, so both carry the date.
            models.CheckConstraint(
                condition=~models.Q(status__in=["active", "paused"])
                | models.Q(first_active_on__isnull=False),
                name="mentor_active_has_first_active_on",
                violation_error_message="An active or paused mentor must have a first active date.",
            ),
            models.CheckConstraint(
                condition=models.Q(first_active_on__isnull=True)
                | models.Q(first_active_on__gte=models.F("applied_on")),
                name="mentor_active_after_applied",
                violation_error_message="A mentor can't become active before they applied.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def days_to_active(self) -> int | None:
        """Days from application to first becoming active, or None if not yet active."""
        if self.first_active_on is None:
            return None
        return (self.first_active_on - self.applied_on).days

    @property
    def next_statuses(self) -> tuple[MentorStatus, ...]:
        return MENTOR_TRANSITIONS[self.status]


# The mentor's records live in their own module to keep this one readable; importing them
# here is what registers them with Django.
from schemes.mentor_records import (  # noqa: E402
    AvailabilitySlot,
    DBSCheck,
    MentorStatusChange,
    PrisonClearance,
    Reference,
    SupervisionSession,
    TrainingRecord,
    UnavailablePeriod,
)

__all__ = [
    "MENTOR_TRANSITIONS",
    "AvailabilitySlot",
    "DBSCheck",
    "Mentor",
    "MentorKind",
    "MentorStatus",
    "MentorStatusChange",
    "PrisonClearance",
    "Reference",
    "Scheme",
    "SupervisionSession",
    "TrainingRecord",
    "UnavailablePeriod",
]
