"""The demo data seeded once for a module of tests that read it, rather than once per test.

``seed_demo`` takes seconds; a module of a handful of cases that each look at a different
side of the same demo (the same seed) seeds it once, in a transaction that is never
committed and is rolled back when the module ends. Each case runs in a savepoint of its own
(pytest-django's ``db``), rolled back after it, so what one case writes no other sees. As
``module_world`` in the root conftest.py does for the small world.
"""

from collections.abc import Callable, Iterator

import factory.random
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from conftest import FAST_PASSWORD_HASHERS


def seeded_once(*arguments: str) -> Callable[..., Iterator[None]]:
    """A module-scoped fixture, ``seeded_module``, that runs ``seed_demo *arguments`` once for
    the module (a case asks for it through its own ``seeded`` fixture, with ``db``)."""

    @pytest.fixture(scope="module", name="seeded_module")
    def seeded_module(
        request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker
    ) -> Iterator[None]:
        with (
            django_db_blocker.unblock(),
            override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS),
            transaction.atomic(),
        ):
            factory.random.reseed_random(request.node.nodeid)
            call_command("seed_demo", *arguments)
            yield
            transaction.set_rollback(True)

    return seeded_module
