import datetime

import factory

from schemes.models import Funding, FunnelStage, Mentor, Scheme, Target


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme

    name = factory.Sequence(lambda n: f"Scheme {n}")
    kind = Scheme.Kind.RESETTLEMENT
    area = factory.Faker("city", locale="en_GB")


class MentorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentor

    scheme = factory.SubFactory(SchemeFactory)
    user = None
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")


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
