import factory

from schemes.models import Mentor, Scheme


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
