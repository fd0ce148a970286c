from django.db import models


class Mentee(models.Model):
    """A person referred to a scheme: a defendant or someone with a conviction.

    Record only what the work needs. ``reference`` is the pseudonymous id used wherever a
    person must be counted or exported without being named. Referral, consent, readiness,
    needs and preferences arrive with the caseload work.
    """

    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="mentees")
    reference = models.CharField(
        max_length=20,
        unique=True,
        help_text="Pseudonymous id, used in exports instead of a name.",
    )
    given_name = models.CharField(max_length=80)
    family_name = models.CharField(max_length=80)
    date_of_birth = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["scheme", "family_name"])]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"
