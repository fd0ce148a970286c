"""Informed consent to mentoring, as given and as withdrawn."""

from django.conf import settings
from django.db import models

from mentees.models.people import Mentee


class Consent(models.Model):
    """Informed consent to mentoring, recorded as given and, perhaps later, withdrawn.

    The research found people unclear what mentoring was, believing it would help their
    sentence, or meeting mentors alongside statutory appointments. Consent here records that
    it was explained, by whom, with which information sheet, and that the person confirmed
    both that mentoring is voluntary and separate from supervision or bail, and what mentors
    record and who sees it. Both confirmations are required to record consent at all.
    """

    mentee = models.ForeignKey(Mentee, on_delete=models.PROTECT, related_name="consents")
    given_on = models.DateField(
        null=True,
        blank=True,
        help_text="Empty only for consent recorded before Tandem whose date is not known.",
    )
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty only for consent imported from a scheme's records.",
    )
    information_sheet_version = models.CharField(max_length=20, blank=True)
    recorded_before_tandem = models.BooleanField(
        default=False,
        help_text="Imported from a scheme's records that show consent was given, with both "
        "confirmations, before the scheme used Tandem; the date and sheet may not be known.",
    )
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
                condition=models.Q(recorded_before_tandem=True)
                | (~models.Q(given_on=None) & ~models.Q(information_sheet_version="")),
                name="consent_dated_unless_before_tandem",
                violation_error_message="Consent needs its date and information sheet version.",
            ),
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
        if self.given_on is None:
            return f"Consent of {self.mentee}, recorded before Tandem"
        return f"Consent of {self.mentee} on {self.given_on}"
