from django.db import models


class Heartbeat(models.Model):
    """The last time a background process proved it was alive, one row per process kind.

    The scheduler asks the worker to beat every few seconds; ``/healthz`` reads the time. The
    database is the one store the web app and the worker always share, whatever the broker.
    """

    name = models.CharField(max_length=40, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
