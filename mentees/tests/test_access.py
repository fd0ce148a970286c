"""mentee_for_write and referral_for_write: a record outside the user's scope is a 404, the
same as a missing one; a record they can see but may not change is a 403."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from mentees.selectors import mentee_for_write, referral_for_write

MISSING = 999_999


def test_a_coordinator_writes_their_own_schemes_mentees(world):
    assert mentee_for_write(world.coordinator_a, world.mentee_a.pk) == world.mentee_a
    assert mentee_for_write(world.coordinator_b, world.mentee_b.pk) == world.mentee_b


@pytest.mark.parametrize(
    ("user", "mentee"),
    [
        ("coordinator_b", "mentee_a"),  # another scheme's person
        ("mentor_a", "mentee_a_unmatched"),  # not their mentee
        ("no_role", "mentee_a"),
    ],
)
def test_a_mentee_outside_scope_is_a_404(world, user, mentee):
    with pytest.raises(Http404):
        mentee_for_write(getattr(world, user), getattr(world, mentee).pk)


def test_a_missing_mentee_is_the_same_404(world):
    with pytest.raises(Http404):
        mentee_for_write(world.coordinator_a, MISSING)


@pytest.mark.parametrize("user", ["manager", "mentor_a"])
def test_seeing_a_mentee_is_not_enough_to_write_their_record(world, user):
    """Managers read every record; a matched mentor sees part of it. Neither writes it."""
    with pytest.raises(PermissionDenied):
        mentee_for_write(getattr(world, user), world.mentee_a.pk)


def test_a_coordinator_writes_their_own_schemes_referrals(world):
    assert referral_for_write(world.coordinator_a, world.referral_a.pk) == world.referral_a


@pytest.mark.parametrize("user", ["coordinator_b", "mentor_a", "no_role"])
def test_a_referral_outside_scope_is_a_404(world, user):
    """Mentors never see referrals, not even of the person they are matched with."""
    with pytest.raises(Http404):
        referral_for_write(getattr(world, user), world.referral_a.pk)
    with pytest.raises(Http404):
        referral_for_write(getattr(world, user), MISSING)


def test_a_manager_sees_a_referral_but_does_not_move_it(world):
    with pytest.raises(PermissionDenied):
        referral_for_write(world.manager, world.referral_a.pk)
