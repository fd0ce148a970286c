"""A mentor's file in one scheme's pool."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from schemes.choices import MENTOR_TRANSITIONS, MentorKind, MentorStatus
from schemes.models.scheme import Scheme
from schemes.validators import postcode_district, validate_word_list


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
    # Blank only for imported history whose records hold references and no names.
    given_name = models.CharField(max_length=80, blank=True)
    family_name = models.CharField(max_length=80, blank=True)
    reference = models.CharField(
        max_length=20,
        blank=True,
        help_text="The scheme's own id for the mentor, if it has one (imports match on it).",
    )
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
            models.UniqueConstraint(
                fields=["scheme", "reference"],
                condition=~models.Q(reference=""),
                name="mentor_reference_unique_in_scheme",
                violation_error_message="Another mentor in this scheme has this reference.",
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
        return f"{self.given_name} {self.family_name}".strip() or self.reference

    @property
    def short_name(self) -> str:
        """How a page or message addresses the person: the given name, or the reference
        when the scheme's records hold no name (imported history)."""
        return self.given_name or str(self)

    @property
    def days_to_active(self) -> int | None:
        """Days from application to first becoming active, or None if not yet active."""
        if self.first_active_on is None:
            return None
        return (self.first_active_on - self.applied_on).days

    @property
    def next_statuses(self) -> tuple[MentorStatus, ...]:
        return MENTOR_TRANSITIONS[self.status]
