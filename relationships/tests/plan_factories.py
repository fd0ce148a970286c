"""Planned meetings for the reminder and "Did it happen?" tests, made directly (the planning
pages are another part's): a plan of mentor_a's relationship at a given time."""

import datetime

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from relationships.models import Meeting, PlannedMeeting


class PlannedMeetingFactory(factory.django.DjangoModelFactory):
    """A plan; ``created_at=`` says when it was arranged (a week before its time by default,
    or now if that is sooner), as the worker's reminder reads it."""

    class Meta:
        model = PlannedMeeting
        skip_postgeneration_save = True

    relationship = factory.SubFactory("relationships.tests.factories.RelationshipFactory")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
    mode = Meeting.Mode.FACE_TO_FACE
    place = PlannedMeeting.Place.PROBATION_OFFICE
    # Its mentor, or someone (a coordinator) for a relationship whose mentor has no login.
    planned_by = factory.LazyAttribute(lambda o: o.relationship.mentor.user or UserFactory())

    @factory.post_generation
    def created_at(obj: PlannedMeeting, create: bool, extracted: datetime.datetime | None) -> None:
        """``created_at`` is set on save (auto_now_add): put the one asked for in its place."""
        if not create:
            return
        week_before = obj.starts_at - datetime.timedelta(days=7)
        obj.created_at = extracted or min(obj.created_at, week_before)
        PlannedMeeting.objects.filter(pk=obj.pk).update(created_at=obj.created_at)


def local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """``day`` at ``hour``:``minute`` in the scheme's time (Europe/London)."""
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


#: Words written in a meeting's notes, which no reminder or question may carry.
NOTES = "Talked about the hostel and his brother's court case"
