"""Times for the planning tests: a moment still to come, on the hour."""

import datetime

from django.utils import timezone


def soon(days: int = 1, hour: int = 14) -> datetime.datetime:
    """``days`` from today at ``hour`` o'clock, local time: a time still to come."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))
