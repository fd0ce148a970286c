"""Matching rules that hold already, before the matching work adds the rest."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from mentees.tests.factories import MenteeFactory
from relationships.models import Relationship
from relationships.services import relationship_create
from schemes.tests.factories import MentorFactory


def test_a_match_is_audited(world):
    mentee = MenteeFactory(scheme=world.scheme_a)
    mentor = MentorFactory(scheme=world.scheme_a)
    relationship = relationship_create(
        by=world.coordinator_a, mentee=mentee, mentor=mentor, matched_on=timezone.localdate()
    )
    assert relationship.status == Relationship.Status.INTRODUCED
    assert AuditEvent.objects.filter(
        action="relationship.created", target_id=str(relationship.pk)
    ).exists()


def test_a_mentor_is_matched_only_within_their_scheme(world):
    with pytest.raises(ValidationError, match="own scheme"):
        relationship_create(
            by=world.coordinator_a,
            mentee=world.mentee_b,
            mentor=world.relationship_a.mentor,
            matched_on=timezone.localdate(),
        )


def test_a_mentee_has_one_open_relationship_at_a_time(world):
    """A re-match closes the old relationship first; two open ones would be counted twice."""
    with pytest.raises(ValidationError, match="already has an open relationship"):
        relationship_create(
            by=world.coordinator_a,
            mentee=world.mentee_a,
            mentor=MentorFactory(scheme=world.scheme_a),
            matched_on=timezone.localdate(),
        )
