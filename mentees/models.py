from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from schemes.models import validate_word_list

#: Parts of the week as "weekday:part" codes, the same grid as a mentor's AvailabilitySlot
#: (weekday 0 = Monday), so matching can compare the two directly.
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DAY_PARTS = [("morning", "Morning"), ("afternoon", "Afternoon"), ("evening", "Evening")]
AVAILABILITY_CHOICES = [
    (f"{day}:{part}", f"{name} {label.lower()}")
    for day, name in enumerate(WEEKDAYS)
    for part, label in DAY_PARTS
]


def validate_availability(value: object) -> None:
    known = {code for code, _ in AVAILABILITY_CHOICES}
    if not isinstance(value, list) or not all(v in known for v in value):
        raise ValidationError("Give parts of the week such as “1:evening” (Tuesday evening).")


class Situation(models.TextChoices):
    IN_CUSTODY = "in_custody", "In custody"
    ON_BAIL = "on_bail", "On bail"
    COMMUNITY = "community", "In the community"


class NeedDomain(models.TextChoices):
    """The practical domains (secondary goods) a person may need help with."""

    ACCOMMODATION = "accommodation", "Accommodation"
    ETE = "ete", "Education, training and employment"
    FINANCE = "finance", "Finance"
    SUBSTANCE_USE = "substance_use", "Substance use"
    HEALTH = "health", "Health"
    FAMILY = "family", "Family and relationships"
    THINKING = "thinking", "Thinking and attitudes"


class Readiness(models.TextChoices):
    NOT_ASKED = "not_asked", "Not asked yet"
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class Mentee(models.Model):
    """A person referred to a scheme: a defendant or someone with a conviction.

    Record only what the work needs. ``reference`` is the pseudonymous id used wherever a
    person must be counted or exported without being named. External references (such as a
    prison number) and date of birth are for coordinators only; a matched mentor sees the
    person's name, how to reach them, their situation, needs and strengths, and the safety
    instructions that apply to them.
    """

    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="mentees")
    reference = models.CharField(
        max_length=20,
        help_text="The scheme's pseudonymous id for the person, used in exports instead of "
        "a name. Unique within the scheme.",
    )
    given_name = models.CharField(max_length=80)
    family_name = models.CharField(max_length=80)
    date_of_birth = models.DateField(null=True, blank=True)
    external_reference = models.CharField(
        max_length=40,
        blank=True,
        help_text="For example a prison number. Coordinators only; never exported.",
    )
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)

    situation = models.CharField(
        max_length=20, choices=Situation.choices, default=Situation.COMMUNITY
    )
    establishment = models.CharField(
        max_length=120, blank=True, help_text="The prison, when in custody."
    )
    expected_release_on = models.DateField(null=True, blank=True)
    next_court_date = models.DateField(null=True, blank=True)
    released_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day they last left custody. The first days after release matter most.",
    )
    home_area = models.CharField(
        max_length=60,
        blank=True,
        help_text="Where they live or will live on release (town or postcode district).",
    )

    # Readiness for mentoring, as the research framed it.
    knows_what_mentoring_is = models.CharField(
        max_length=12, choices=Readiness.choices, default=Readiness.NOT_ASKED
    )
    sees_it_as_worthwhile_now = models.CharField(
        max_length=12, choices=Readiness.choices, default=Readiness.NOT_ASKED
    )
    life_stable_enough = models.CharField(
        max_length=12, choices=Readiness.choices, default=Readiness.NOT_ASKED
    )
    recognises_lack_of_support = models.CharField(
        max_length=12, choices=Readiness.choices, default=Readiness.NOT_ASKED
    )
    readiness_assessed_on = models.DateField(null=True, blank=True)

    needs = models.JSONField(
        default=list, blank=True, help_text="Practical domains (NeedDomain values)."
    )
    strengths = models.TextField(blank=True, help_text="In the person's own words.")

    # Preferences are the mentee's own; gender only when they ask for it.
    preferred_mentor_gender = models.CharField(
        max_length=40, blank=True, help_text="Only if the mentee asks for it."
    )
    preferred_language = models.CharField(max_length=40, blank=True)
    wants_peer_mentor = models.BooleanField(
        default=False, help_text="A mentor with lived experience of the justice system."
    )
    # What matching weighs: when they are free, what they enjoy, and whether their language
    # is a must (only then does it exclude a mentor; otherwise it only ranks).
    needs_preferred_language = models.BooleanField(
        "needs a mentor who speaks their preferred language",
        default=False,
        help_text="Only mentors who list the language will be suggested.",
    )
    availability = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_availability],
        help_text="Parts of the week they are usually free, as weekday:part codes.",
    )
    interests = models.JSONField(default=list, blank=True, validators=[validate_word_list])

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["scheme", "family_name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "reference"],
                name="mentee_reference_unique_in_scheme",
                violation_error_message="Another person in this scheme has this reference.",
            ),
            models.CheckConstraint(
                condition=models.Q(situation="in_custody") | models.Q(expected_release_on=None),
                name="mentee_release_date_only_in_custody",
                violation_error_message="A release date applies only to someone in custody.",
            ),
            models.CheckConstraint(
                condition=models.Q(situation="on_bail") | models.Q(next_court_date=None),
                name="mentee_court_date_only_on_bail",
                violation_error_message="A court date applies only to someone on bail.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def need_labels(self) -> list[str]:
        labels = dict(NeedDomain.choices)
        return [labels.get(n, n) for n in self.needs]


class Consent(models.Model):
    """Informed consent to mentoring, recorded as given and, perhaps later, withdrawn.

    The research found people unclear what mentoring was, believing it would help their
    sentence, or meeting mentors alongside statutory appointments. Consent here records that
    it was explained, by whom, with which information sheet, and that the person confirmed
    both that mentoring is voluntary and separate from supervision or bail, and what mentors
    record and who sees it. Both confirmations are required to record consent at all.
    """

    mentee = models.ForeignKey(Mentee, on_delete=models.PROTECT, related_name="consents")
    given_on = models.DateField()
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty only for consent imported from a scheme's records.",
    )
    information_sheet_version = models.CharField(max_length=20)
    confirmed_voluntary = models.BooleanField(
        help_text="Mentoring is voluntary and separate from any statutory supervision or "
        "bail condition."
    )
    confirmed_recording = models.BooleanField(
        help_text="The person knows what mentors record and who sees it."
    )
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confirmed_voluntary=True, confirmed_recording=True),
                name="consent_both_confirmations",
                violation_error_message="Consent needs both confirmations from the person.",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_on=None)
                | models.Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
                violation_error_message="Consent cannot be withdrawn before it was given.",
            ),
            models.UniqueConstraint(
                fields=["mentee"],
                condition=models.Q(withdrawn_on=None),
                name="consent_one_current_per_mentee",
                violation_error_message="This person already has current consent recorded.",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent of {self.mentee} on {self.given_on}"


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
