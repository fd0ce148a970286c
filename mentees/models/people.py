"""The person referred: who they are, where they are, and what matching weighs."""

from django.core.exceptions import ValidationError
from django.db import models

from mentees.models.equality import Disability, Ethnicity, Gender
from schemes.validators import validate_word_list

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
    # Blank only where a scheme's records hold references and no names (imported history);
    # everywhere else a form asks for both. ``str(mentee)`` falls back to the reference.
    given_name = models.CharField(max_length=80, blank=True)
    family_name = models.CharField(max_length=80, blank=True)
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
        help_text="The first half of the postcode where they live or will live on release, "
        "for example LS6. Leave it blank if they have no fixed address or it is not known yet. "
        "Matching uses it to suggest mentors who live nearby.",
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

    # Equality monitoring (mentees/models/equality.py): the person's own answers, only if
    # they choose to give them; never used by matching, never shown to a mentor.
    gender = models.CharField(max_length=20, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(max_length=30, choices=Ethnicity.choices, blank=True)
    disability = models.CharField(max_length=12, choices=Disability.choices, blank=True)
    equality_answered_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the person last chose to answer the equality questions.",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    anonymised_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the names, contact details and free text were removed (retention or "
        "erasure on request). Set once; the pseudonymous reference and the facts stay.",
    )

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
        return f"{self.given_name} {self.family_name}".strip() or self.reference

    @property
    def has_name(self) -> bool:
        """Whether the record holds a name: without one (imported by reference only, or
        anonymised) ``str()`` is the reference, so a page shows the reference once."""
        return bool(self.given_name or self.family_name)

    @property
    def short_name(self) -> str:
        """How a page or message addresses the person: the given name, or the reference
        when the scheme's records hold no name (imported history)."""
        return self.given_name or str(self)

    def need_labels(self) -> list[str]:
        labels = dict(NeedDomain.choices)
        return [labels.get(n, n) for n in self.needs]
