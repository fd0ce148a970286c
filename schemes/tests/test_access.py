"""scheme_for_write and mentor_for_write: outside the user's scope is a 404, the same as a
missing record; inside it without the role for writing is a 403."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Membership, Role
from schemes.selectors import mentor_for_write, scheme_for_write
from schemes.tests.factories import MentorFactory

MISSING = 999_999


def test_a_manager_writes_any_scheme(world):
    assert scheme_for_write(world.manager, world.scheme_a.pk) == world.scheme_a
    with pytest.raises(Http404):
        scheme_for_write(world.manager, MISSING)


def test_a_coordinator_sees_their_scheme_but_does_not_change_it(world):
    with pytest.raises(PermissionDenied):
        scheme_for_write(world.coordinator_a, world.scheme_a.pk)


@pytest.mark.parametrize("user", ["coordinator_b", "mentor_a", "no_role"])
def test_a_scheme_outside_scope_is_a_404(world, user):
    with pytest.raises(Http404):
        scheme_for_write(getattr(world, user), world.scheme_a.pk)


def test_a_coordinator_writes_their_own_schemes_mentor_files(world):
    assert mentor_for_write(world.coordinator_a, world.mentor_file_a.pk) == world.mentor_file_a
    assert mentor_for_write(world.coordinator_b, world.mentor_file_b.pk) == world.mentor_file_b


@pytest.mark.parametrize(
    ("user", "file"),
    [
        ("coordinator_b", "mentor_file_a"),
        ("coordinator_a", "mentor_file_b"),
        ("mentor_a", "mentor_file_b"),
        ("no_role", "mentor_file_a"),
    ],
)
def test_a_mentor_file_outside_scope_is_a_404(world, user, file):
    with pytest.raises(Http404):
        mentor_for_write(getattr(world, user), getattr(world, file).pk)
    with pytest.raises(Http404):
        mentor_for_write(getattr(world, user), MISSING)


@pytest.mark.parametrize("user", ["manager", "mentor_a"])
def test_seeing_a_mentor_file_is_not_enough_to_write_it(world, user):
    """Managers read every file; a mentor opens their own. Neither writes it."""
    with pytest.raises(PermissionDenied):
        mentor_for_write(getattr(world, user), world.mentor_file_a.pk)


def test_a_coordinator_does_not_write_their_own_mentor_file(world):
    """Nobody vets, supervises or promotes themselves, even in a scheme they coordinate."""
    own = MentorFactory(scheme=world.scheme_a, user=world.coordinator_a)
    Membership.objects.create(user=world.coordinator_a, role=Role.MENTOR, scheme=world.scheme_a)
    with pytest.raises(PermissionDenied):
        mentor_for_write(world.coordinator_a, own.pk)
