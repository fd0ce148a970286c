"""Fixtures for the flags tests."""

import pytest

from schemes.tests.factories import SchemeFactory


@pytest.fixture
def scheme():
    """A scheme on the default thresholds (expected contact every 7 days)."""
    return SchemeFactory(name="Flagtown Mentoring")
