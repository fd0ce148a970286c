"""What the offer tests share: a person waiting for a match, an offer made to a mentor, and
a clock the tests set."""

import datetime

import pytest
from django.utils import timezone

from mentees.models import Referral
from mentees.tests.factories import ConsentFactory, MenteeFactory, ReferralFactory
from relationships.matching.offer_services import offer_make
from relationships.models import MatchOffer
from schemes.tests.factories import MentorFactory, days_ago


def waiting_person(scheme, *, waiting_days: int = 3, **kw):
    """A consented person in ``scheme`` waiting for a match for ``waiting_days``."""
    kw.setdefault("given_name", "Robin")
    kw.setdefault("family_name", "Quillfeather")
    mentee = MenteeFactory(scheme=scheme, **kw)
    ConsentFactory(mentee=mentee)
    ReferralFactory(
        mentee=mentee,
        status=Referral.Status.AWAITING_MATCH,
        status_changed_on=days_ago(waiting_days),
    )
    return mentee


def offer(world, *, mentee=None, mentor=None, **kw) -> MatchOffer:
    """An offer made by coordinator A through the service: by default a new waiting person
    offered to mentor_a (who has a login and one place left)."""
    mentee = mentee or waiting_person(world.scheme_a)
    mentor = mentor or world.mentor_file_a
    kw.setdefault("first_meeting", "face_to_face")
    return offer_make(by=world.coordinator_a, mentee=mentee, mentor=mentor, **kw)


def mentor_without_login(world, **kw):
    return MentorFactory(scheme=world.scheme_a, active=True, **kw)


class Clock:
    """``timezone.now`` held at a fixed instant, moved only by the test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = timezone.now().replace(microsecond=0)
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, moment: datetime.datetime) -> None:
        self.now = moment
