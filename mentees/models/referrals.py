"""Referrals: the case episode the pipeline moves through, its dated steps, and the
attempts to reach the person."""

from django.conf import settings
from django.db import models

from mentees.models.people import Mentee


class Referral(models.Model):
    """One referral of a person to a scheme: the case episode the pipeline moves through.

    A person referred again later gets a new referral, so each episode keeps its own dated
    history and the funnel counts referrals honestly.
    """

    class Source(models.TextChoices):
        PRISON = "prison", "Prison"
        PROBATION = "probation", "Probation"
        COURT = "court", "Court"
        SELF = "self", "Self-referral"
        OTHER_AGENCY = "other_agency", "Other agency"

    class Status(models.TextChoices):
        REFERRED = "referred", "Referred"
        ASSESSING = "assessing", "Assessing"
        AWAITING_MATCH = "awaiting_match", "Awaiting a match"
        MATCHED = "matched", "Matched"
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        NOT_SUITABLE = "not_suitable", "Not suitable"
        LOST_CONTACT = "lost_contact", "Lost contact"

    OPEN_STATUSES = (
        Status.REFERRED,
        Status.ASSESSING,
        Status.AWAITING_MATCH,
        Status.MATCHED,
        Status.ACTIVE,
    )

    class ExitReason(models.TextChoices):
        NOT_INTERESTED = "not_interested", "Not interested"
        ALREADY_SUPPORTED = "already_supported", "Already has enough support"
        BAD_TIMING = "bad_timing", "Not the right time"
        CONSENT_WITHDRAWN = "consent_withdrawn", "Withdrew consent"
        MOVED_AWAY = "moved_away", "Moved out of the area"
        RETURNED_TO_CUSTODY = "returned_to_custody", "Returned to custody"
        RISK_TOO_HIGH = "risk_too_high", "Risk too high for the scheme"
        NEEDS_SPECIALIST = "needs_specialist", "Needs a specialist service"
        OUTSIDE_CRITERIA = "outside_criteria", "Outside the scheme's criteria"
        TOO_SHORT = "too_short", "Too little time on the scheme"
        NO_RESPONSE = "no_response", "No response to contact attempts"
        NO_ADDRESS = "no_address", "Released with no known address"
        COMPLETED = "completed", "Mentoring completed"
        OTHER = "other", "Other"

    mentee = models.ForeignKey(Mentee, on_delete=models.PROTECT, related_name="referrals")
    source = models.CharField(max_length=20, choices=Source.choices)
    referrer_name = models.CharField(max_length=120, blank=True)
    referrer_organisation = models.CharField(max_length=120, blank=True)
    referred_on = models.DateField()
    reason = models.TextField(help_text="Why the person was referred, as the referrer put it.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REFERRED)
    exit_reason = models.CharField(max_length=30, choices=ExitReason.choices, blank=True)
    status_changed_on = models.DateField()
    # Readiness as it stood before this referral's match: how many of the four conditions
    # held ("Yes") when last assessed before a match, and that assessment's day. The person's
    # record keeps only their latest answers, which mentoring itself may change; the funder
    # report counts these. Empty when not assessed before a match (or before Tandem kept it).
    assessed_readiness_held = models.PositiveSmallIntegerField(null=True, blank=True)
    assessed_readiness_on = models.DateField(null=True, blank=True)
    watched_from = models.DateField(
        null=True,
        blank=True,
        help_text="The watcher reads nothing before this day: the scheme's go-live date, for "
        "a referral imported from its records. Empty: everything counts.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-referred_on", "-id"]
        indexes = [models.Index(fields=["status", "referred_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"],
                condition=models.Q(
                    status__in=["referred", "assessing", "awaiting_match", "matched", "active"]
                ),
                name="referral_one_open_per_mentee",
                violation_error_message="This person already has an open referral.",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status__in=["declined", "withdrawn", "not_suitable", "lost_contact"])
                    & ~models.Q(exit_reason="")
                )
                | (
                    ~models.Q(status__in=["declined", "withdrawn", "not_suitable", "lost_contact"])
                    & models.Q(exit_reason="")
                )
                | models.Q(status="ended"),
                name="referral_exit_reason_iff_exited",
                violation_error_message="A referral that stops early needs a reason.",
            ),
            models.CheckConstraint(
                condition=models.Q(assessed_readiness_held=None, assessed_readiness_on=None)
                | models.Q(assessed_readiness_held__lte=4, assessed_readiness_on__isnull=False),
                name="referral_assessed_readiness_dated_and_of_four",
                violation_error_message="Readiness before a match is 0 to 4 conditions, dated.",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral of {self.mentee} on {self.referred_on}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ReferralTransition(models.Model):
    """One dated, attributed step of a referral through the pipeline."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Referral.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Referral.Status.choices)
    exit_reason = models.CharField(max_length=30, choices=Referral.ExitReason.choices, blank=True)
    note = models.CharField(max_length=300, blank=True)
    on = models.DateField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status} on {self.on}"


class ContactAttempt(models.Model):
    """An attempt to reach a referred person. Most referrals never become relationships;
    the attempts show whether the scheme tried, and how."""

    class Channel(models.TextChoices):
        PHONE = "phone", "Phone"
        TEXT = "text", "Text message"
        LETTER = "letter", "Letter"
        EMAIL = "email", "Email"
        IN_PERSON = "in_person", "In person"
        CUSTODY_VISIT = "custody_visit", "Visit in custody"
        VIA_AGENCY = "via_agency", "Through another agency"

    class Outcome(models.TextChoices):
        SPOKE = "spoke", "Spoke with them"
        NO_ANSWER = "no_answer", "No answer"
        LEFT_MESSAGE = "left_message", "Left a message"
        WRONG_DETAILS = "wrong_details", "Wrong contact details"
        REFUSED = "refused", "Did not want to talk"
        NOT_AVAILABLE = "not_available", "Not available (e.g. moved within prison)"

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="contact_attempts"
    )
    attempted_on = models.DateField()
    channel = models.CharField(max_length=20, choices=Channel.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    note = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-attempted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} on {self.attempted_on}: {self.get_outcome_display()}"
