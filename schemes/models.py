from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

from schemes.choices import MENTOR_TRANSITIONS, MentorKind, MentorStatus
from schemes.validators import postcode_district, validate_word_list


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

    # The scheme's own rules for a relationship. No cap at all means open-ended.
    cap_meetings = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Most meetings in one relationship. Empty: no cap.",
    )
    cap_weeks = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Longest a relationship runs, in weeks. Empty: no cap.",
    )
    review_interval_weeks = models.PositiveSmallIntegerField(
        default=6,
        validators=[MinValueValidator(1)],
        help_text="How often each relationship is reviewed.",
    )
    expected_contact_days = models.PositiveSmallIntegerField(
        default=7,
        validators=[MinValueValidator(1)],
        help_text="Usual days between contacts in an active relationship.",
    )

    # Thresholds the watcher uses to raise flags. Defaults follow the product brief; a
    # scheme changes them to suit its own rhythm.
    flag_no_first_meeting_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(1)],
        help_text="Matched, but no meeting held after this many days.",
    )
    flag_no_contact_after_release_days = models.PositiveSmallIntegerField(
        default=7,
        validators=[MinValueValidator(1)],
        help_text="Released from custody, but no contact within this many days.",
    )
    flag_review_overdue_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(1)],
        help_text="A review overdue by more than this many days.",
    )
    flag_waiting_for_match_days = models.PositiveSmallIntegerField(
        default=21,
        validators=[MinValueValidator(1)],
        help_text="A referral waiting for a match for more than this many days.",
    )
    flag_no_contact_attempt_days = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(1)],
        help_text="A waiting referral with no contact attempt for this many days.",
    )
    flag_missed_meetings = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Missed meetings out of the last five arranged.",
    )
    flag_mentor_led_percent = models.PositiveSmallIntegerField(
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Share of the last eight contacts the mentor started.",
    )
    flag_done_for_percent = models.PositiveSmallIntegerField(
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Share of the last six meetings spent doing things for the mentee.",
    )
    flag_too_long_weeks = models.PositiveSmallIntegerField(
        default=4,
        validators=[MinValueValidator(1)],
        help_text="Weeks meetings may carry on after goals are met or the cap is "
        "passed, with no ending plan.",
    )

    # How the scheme answers a mentor's concern and how long a mentor has to answer an offer.
    concern_acknowledge_hours = models.PositiveSmallIntegerField(
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
        help_text="A concern not acknowledged within this many hours goes to the managers.",
    )
    offer_open_days = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text="Days a mentor has to accept or decline the offer of a match.",
    )

    # Security and data protection (issue 15).
    second_factor_for_mentors = models.BooleanField(
        default=False,
        help_text="Tick to make mentors of this scheme sign in with a code from an "
        "authenticator app as well as their password. Staff always must.",
    )
    retention_years = models.PositiveSmallIntegerField(
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="After this many years from the end of a person's referral or "
        "relationship, their name, contact details and notes are removed for good; the counts "
        "in funder reports stay. Lowering it can remove records at the next daily run.",
    )
    private_notes_keep_days = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(0), MaxValueValidator(365)],
        help_text="After this many days from a relationship closing, its mentor's private "
        "notes are deleted for good (0: at the next daily run). Lowering it can delete notes "
        "at the next daily run.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(review_interval_weeks__gte=1)
                & models.Q(expected_contact_days__gte=1),
                name="scheme_intervals_positive",
                violation_error_message="Intervals must be at least 1.",
            ),
            models.CheckConstraint(
                condition=models.Q(flag_mentor_led_percent__lte=100)
                & models.Q(flag_done_for_percent__lte=100)
                & models.Q(flag_missed_meetings__lte=5),
                name="scheme_flag_thresholds_in_range",
                violation_error_message="Percentages go up to 100; missed meetings up to 5.",
            ),
            models.UniqueConstraint(
                Lower("name"),
                name="scheme_name_unique_ci",
                violation_error_message="A scheme with this name already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open_ended(self) -> bool:
        return self.cap_meetings is None and self.cap_weeks is None


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


# The mentor's records live in their own module to keep this one readable; importing them
# here is what registers them with Django.
from schemes.mentors.records import (  # noqa: E402
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
