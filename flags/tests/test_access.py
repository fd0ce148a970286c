"""flag_for_write: a flag outside the user's schemes is a 404, the same as a missing one; a
manager, who reads every flag, gets a 403 for acknowledging or resolving one."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from flags.models import Kind, Severity
from flags.selectors import flag_for_write
from flags.tests.test_pages import raise_flag


def test_the_schemes_coordinator_acts_on_its_flag(world):
    """The coordinator of the flag's scheme gets the flag to act on."""
    flag = raise_flag(world.relationship_a, Kind.SILENCE, Severity.HIGH)
    assert flag_for_write(world.coordinator_a, flag.pk) == flag


def test_a_flag_of_another_scheme_is_not_found(world):
    """Another scheme's coordinator learns nothing: 404, as for a flag that does not exist."""
    flag = raise_flag(world.relationship_a, Kind.SILENCE, Severity.HIGH)
    with pytest.raises(Http404):
        flag_for_write(world.coordinator_b, flag.pk)
    with pytest.raises(Http404):
        flag_for_write(world.coordinator_a, 999_999)


def test_a_manager_reads_flags_but_does_not_act_on_them(world):
    """A manager sees every flag, but acknowledging or resolving is the coordinator's: 403."""
    flag = raise_flag(world.relationship_a, Kind.SILENCE, Severity.HIGH)
    with pytest.raises(PermissionDenied):
        flag_for_write(world.manager, flag.pk)
