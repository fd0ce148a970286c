"""What matching tests share: data and helpers."""

from django.utils import timezone

from mentees.tests.factories import MenteeFactory
from relationships.matching.ranking import ranking_for
from schemes.models import AvailabilitySlot
from schemes.tests.factories import (
    MentorFactory,
)

TUE = AvailabilitySlot.Weekday.TUESDAY

THU = AvailabilitySlot.Weekday.THURSDAY

EVENING = AvailabilitySlot.Part.EVENING

MORNING = AvailabilitySlot.Part.MORNING


def mentee_in(scheme, **kw):
    return MenteeFactory(scheme=scheme, given_name="Robin", family_name="Quillfeather", **kw)


def mentor_in(scheme, family_name, **kw):
    kw.setdefault("given_name", "Alex")
    return MentorFactory(scheme=scheme, active=True, family_name=family_name, **kw)


def ranked(mentee):
    return ranking_for(mentee, on=timezone.localdate())


def reasons_for(ranking, mentor) -> list[str]:
    [exclusion] = [e for e in ranking.excluded if e.mentor.pk == mentor.pk]
    return exclusion.reasons


def suggested(ranking) -> list[int]:
    return [s.mentor.pk for s in ranking.suggestions]
