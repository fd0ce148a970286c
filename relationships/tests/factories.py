import datetime

import factory
from django.utils import timezone

from mentees.models import NeedDomain
from relationships.models import (
    Driving,
    Goal,
    MatchOffer,
    Meeting,
    Party,
    PrimaryGood,
    Relationship,
    Review,
    Step,
)


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    mentee = factory.SubFactory("mentees.tests.factories.MenteeFactory")
    mentor = factory.SubFactory(
        "schemes.tests.factories.MentorFactory", scheme=factory.SelfAttribute("..mentee.scheme")
    )
    status = Relationship.Status.ACTIVE
    matched_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    relationship = factory.SubFactory(RelationshipFactory)
    title = "Find somewhere settled to live"
    proposed_by = Party.MENTEE
    domain = NeedDomain.ACCOMMODATION
    primary_good = PrimaryGood.INNER_PEACE
    agreed_on = factory.LazyAttribute(lambda o: o.relationship.matched_on)
    created_by = factory.SubFactory("accounts.tests.factories.UserFactory")


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    goal = factory.SubFactory(GoalFactory)
    description = "Ring the housing team together"
    owner = Party.MENTEE
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    relationship = factory.SubFactory(RelationshipFactory)
    held_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=3))
    duration_minutes = 60
    mode = Meeting.Mode.FACE_TO_FACE
    initiated_by = Party.MENTEE
    outcome = Meeting.Outcome.MET
    purpose = Meeting.Purpose.GOALS


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    relationship = factory.SubFactory(RelationshipFactory)
    held_on = factory.LazyFunction(timezone.localdate)
    mentee_driving = Driving.SHARED
    mentor_driving = Driving.SHARED
    mentee_rating = 7
    mentor_rating = 7
    ending_plan = "Taper to fortnightly from month five; close at the six-month review."
    recorded_by = factory.SubFactory("accounts.tests.factories.UserFactory")


class MatchOfferFactory(factory.django.DjangoModelFactory):
    """An offer waiting for an answer, of a person waiting for a match, to an active mentor
    of their scheme. Tests of the service make offers through ``offer_make`` instead."""

    class Meta:
        model = MatchOffer

    mentee = factory.SubFactory("mentees.tests.factories.MenteeFactory")
    referral = factory.SubFactory(
        "mentees.tests.factories.ReferralFactory",
        mentee=factory.SelfAttribute("..mentee"),
        status="awaiting_match",
    )
    mentor = factory.SubFactory(
        "schemes.tests.factories.MentorFactory",
        scheme=factory.SelfAttribute("..mentee.scheme"),
        active=True,
    )
    offered_by = factory.SubFactory("accounts.tests.factories.UserFactory")
    offered_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda o: o.offered_at + datetime.timedelta(days=3))
    first_meeting = "face_to_face"
