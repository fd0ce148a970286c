import datetime

import factory
from django.utils import timezone

from schemes.models import (
    AvailabilitySlot,
    DBSCheck,
    Funding,
    FunnelStage,
    Mentor,
    MentorStatusChange,
    PrisonClearance,
    Reference,
    Scheme,
    SupervisionSession,
    Target,
    TrainingRecord,
    UnavailablePeriod,
)


def days_ago(n: int) -> datetime.date:
    """A date relative to today in the site's time zone, as the services see it."""
    return timezone.localdate() - datetime.timedelta(days=n)


def days_ahead(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme

    name = factory.Sequence(lambda n: f"Scheme {n}")
    kind = Scheme.Kind.RESETTLEMENT
    area = factory.Faker("city", locale="en_GB")


class DBSCheckFactory(factory.django.DjangoModelFactory):
    """A check that is valid today, for three years from a year ago."""

    class Meta:
        model = DBSCheck

    mentor = factory.SubFactory("schemes.tests.factories.MentorFactory")
    level = DBSCheck.Level.ENHANCED_BARRED
    issued_on = factory.LazyFunction(lambda: days_ago(365))
    expires_on = factory.LazyAttribute(lambda o: o.issued_on + datetime.timedelta(days=3 * 365))


class MentorFactory(factory.django.DjangoModelFactory):
    """An applicant by default; ``MentorFactory(active=True)`` is a vetted, active mentor with
    a DBS check valid today."""

    class Meta:
        model = Mentor
        skip_postgeneration_save = True

    class Params:
        active = factory.Trait(
            status=Mentor.Status.ACTIVE,
            first_active_on=factory.LazyFunction(lambda: days_ago(200)),
            status_since=factory.SelfAttribute("first_active_on"),
            dbs=factory.RelatedFactory(DBSCheckFactory, factory_related_name="mentor"),
        )

    scheme = factory.SubFactory(SchemeFactory)
    user = None
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    applied_on = factory.LazyFunction(lambda: days_ago(300))
    status_since = factory.SelfAttribute("applied_on")
    capacity = 2


class MentorStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorStatusChange

    mentor = factory.SubFactory(MentorFactory)
    from_status = ""
    to_status = Mentor.Status.APPLIED
    changed_on = factory.SelfAttribute("mentor.applied_on")


class PrisonClearanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrisonClearance

    mentor = factory.SubFactory(MentorFactory)
    establishment = "HMP Leeds"
    issued_on = factory.LazyFunction(lambda: days_ago(100))
    expires_on = factory.LazyFunction(lambda: days_ahead(265))


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    mentor = factory.SubFactory(MentorFactory)
    module = "Boundaries and safeguarding"
    completed_on = factory.LazyFunction(lambda: days_ago(250))


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reference

    mentor = factory.SubFactory(MentorFactory)
    referee = "Employer"
    received_on = factory.LazyFunction(lambda: days_ago(260))
    satisfactory = True


class AvailabilitySlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AvailabilitySlot

    mentor = factory.SubFactory(MentorFactory)
    weekday = AvailabilitySlot.Weekday.TUESDAY
    part = AvailabilitySlot.Part.EVENING


class UnavailablePeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnavailablePeriod

    mentor = factory.SubFactory(MentorFactory)
    starts_on = factory.LazyFunction(lambda: days_ago(5))
    ends_on = factory.LazyFunction(lambda: days_ahead(5))
    reason = "University vacation"


class SupervisionSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionSession

    mentor = factory.SubFactory(MentorFactory)
    held_on = factory.LazyFunction(lambda: days_ago(20))
    notes = "Talked through keeping the mentee in the driving seat."
    next_due_on = factory.LazyFunction(lambda: days_ahead(40))
    by = None


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funding

    scheme = factory.SubFactory(SchemeFactory)
    funder = "The Lottery Community Fund"
    starts_on = datetime.date(2026, 4, 1)
    ends_on = datetime.date(2029, 3, 31)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    scheme = factory.SubFactory(SchemeFactory)
    stage = FunnelStage.MET_3_PLUS
    starts_on = datetime.date(2026, 4, 1)
    ends_on = datetime.date(2027, 3, 31)
    number = 40
