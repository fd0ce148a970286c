import datetime

import factory
from django.utils import timezone

from relationships.models import Relationship


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    mentee = factory.SubFactory("mentees.tests.factories.MenteeFactory")
    mentor = factory.SubFactory(
        "schemes.tests.factories.MentorFactory", scheme=factory.SelfAttribute("..mentee.scheme")
    )
    status = Relationship.Status.ACTIVE
    matched_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
