import factory

from mentees.models import Mentee


class MenteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentee

    scheme = factory.SubFactory("schemes.tests.factories.SchemeFactory")
    reference = factory.Sequence(lambda n: f"T{n:06d}")
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=70)
