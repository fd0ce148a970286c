"""A scheme and its own rules: caps, rhythm, the watcher's thresholds, reminders, security."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
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

    # Planned meetings and reminders (issue 13).
    flag_plan_outcome_days = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text="A planned meeting whose outcome is still not recorded this many days "
        "after its time raises a flag. It is never counted as a missed meeting.",
    )
    expiry_first_reminder_days = models.PositiveSmallIntegerField(
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Days before a mentor's DBS check or prison clearance expires that the "
        "mentor and their coordinators are first reminded.",
    )
    expiry_last_reminder_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Days before it expires that they are reminded again.",
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

    def clean(self) -> None:
        """The first reminder before vetting expires comes before the last one. The error is
        the pair's, not one field's: each field alone accepts the 1 to 365 it states."""
        super().clean()
        if self.expiry_first_reminder_days <= self.expiry_last_reminder_days:
            raise ValidationError(
                "The last reminder must be fewer days before the expiry than the first"
            )

    @property
    def is_open_ended(self) -> bool:
        return self.cap_meetings is None and self.cap_weeks is None
