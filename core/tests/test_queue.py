"""sweep_soon asks the watcher once per scheme per transaction, however many steps of one
write ask for it, and asks again when an earlier request was rolled back."""

import pytest
from django.db import transaction

from core.queue import sweep_soon

pytestmark = pytest.mark.django_db


def _swept(callbacks) -> list[int]:
    return sorted(c.sweep_scheme_id for c in callbacks if hasattr(c, "sweep_scheme_id"))


def test_one_write_sweeps_each_scheme_once(django_capture_on_commit_callbacks):
    """A meeting, its relationship's step and its referral's step each ask; one sweep each."""
    with django_capture_on_commit_callbacks() as callbacks:
        sweep_soon(scheme_id=1)
        sweep_soon(scheme_id=1)
        sweep_soon(scheme_id=2)
    assert _swept(callbacks) == [1, 2]


def test_a_request_rolled_back_is_made_again(django_capture_on_commit_callbacks):
    """A step that failed in a savepoint took its request with it; the next one counts."""
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                sweep_soon(scheme_id=1)
                raise RuntimeError("the step failed")
        except RuntimeError:
            pass
        sweep_soon(scheme_id=1)
    assert _swept(callbacks) == [1]
