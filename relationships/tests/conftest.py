"""Fixtures the tests in this folder share."""

import pytest

from relationships.models import Relationship
from schemes.tests.factories import SchemeFactory


@pytest.fixture
def rel(world) -> Relationship:
    """mentor_a's relationship, with a mentee whose name no Faker draw produces."""
    mentee = world.mentee_a
    mentee.given_name, mentee.family_name = "Dorian", "Quillfeather"
    mentee.save()
    return world.relationship_a


@pytest.fixture
def scheme():
    """A scheme of its own for the matching tests."""
    return SchemeFactory(name="Matchford Resettlement")
