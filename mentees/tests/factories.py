import datetime

import factory
from django.utils import timezone

from mentees.models import Consent, Mentee, Referral, RestrictionKind, SafetyRestriction


class MenteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentee

    scheme = factory.SubFactory("schemes.tests.factories.SchemeFactory")
    reference = factory.Sequence(lambda n: f"T{n:07d}")
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=70)


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    mentee = factory.SubFactory(MenteeFactory)
    source = Referral.Source.PROBATION
    referrer_name = factory.Faker("name", locale="en_GB")
    referred_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    reason = "Leaving custody soon with no one to turn to."
    status = Referral.Status.REFERRED
    status_changed_on = factory.SelfAttribute("referred_on")


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    mentee = factory.SubFactory(MenteeFactory)
    given_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5))
    explained_by = factory.SubFactory("accounts.tests.factories.UserFactory")
    information_sheet_version = "v3"
    confirmed_voluntary = True
    confirmed_recording = True


class RestrictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafetyRestriction

    mentee = factory.SubFactory(MenteeFactory)
    kind = RestrictionKind.PUBLIC_PLACES_ONLY
    instruction = "Meet only in public places."
    assessment_notes = "Risk assessment of 3 March: concerns about a former partner."
    recorded_on = factory.LazyFunction(datetime.date.today)
    recorded_by = factory.SubFactory("accounts.tests.factories.UserFactory")
