"""Planned meetings for tests: a plan a day ahead unless told otherwise."""

import datetime

import factory
from django.utils import timezone

from relationships.models import Meeting, PlannedMeeting


def soon(days: int = 1, hour: int = 14) -> datetime.datetime:
    """``days`` from today at ``hour`` o'clock, local time: a time still to come."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


class PlannedMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlannedMeeting

    relationship = factory.SubFactory("relationships.tests.factories.RelationshipFactory")
    starts_at = factory.LazyFunction(soon)
    mode = Meeting.Mode.FACE_TO_FACE
    place = PlannedMeeting.Place.COMMUNITY_VENUE
    planned_by = factory.SubFactory("accounts.tests.factories.UserFactory")
