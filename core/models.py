from django.db import models

#: The ``Heartbeat`` name of the Celery worker's beat.
WORKER = "worker"


class Heartbeat(models.Model):
    """The last time a background process proved it was alive, one row per process kind.

    The scheduler asks the worker to beat every few seconds; ``/healthz`` reads the time. The
    database is the one store the web app and the worker always share, whatever the broker.
    """

    name = models.CharField(max_length=40, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"


class Notification(models.Model):
    """Something a person needs to see in the app: a concern from a mentor, a new match.

    Written by ``core.services.notify``, which also sends the email. The text says what
    happened without case detail, so it is safe in an email subject or a lock screen.
    """

    class Audience(models.TextChoices):
        """The role a notification was sent to its reader in. One person may hold several
        roles in one scheme (a coordinator who also mentors), so the scheme alone cannot say
        whether they may still read it: a coordinator's notice about a concern must hide
        once they step down to mentoring, even though they still work in the scheme."""

        ANYONE = "", "Anyone (not about a case)"
        STAFF = "staff", "As a coordinator or manager"
        MENTOR = "mentor", "As a mentor"

    recipient = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True, help_text="Where to act on it.")
    is_urgent = models.BooleanField(default=False)
    #: The scheme whose case it is about, if any: shown only while the recipient can still
    #: see that scheme, so access follows a role change at once.
    scheme = models.ForeignKey(
        "schemes.Scheme", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    #: Shown only while the reader still holds that role in ``scheme`` (see
    #: ``core.selectors.notifications_for``).
    audience = models.CharField(
        max_length=10, choices=Audience.choices, blank=True, default=Audience.ANYONE
    )
    #: The person it is about, if it is about one: their name may be in its words, whatever
    #: page it links to, so erasure and subject access find it by this and not by its link.
    #: Protected: a person's record is anonymised, never deleted, while notices name them.
    mentee = models.ForeignKey(
        "mentees.Mentee", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]  # written in one moment (a batch): newest id first
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.subject
