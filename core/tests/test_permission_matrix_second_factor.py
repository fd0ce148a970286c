"""The permission matrix for the second factor: its own pages are open to everyone logged in
(each sends a verified session on), and only a manager resets someone's device. Every session
here has given its code (``conftest.Client.force_login``); the valid POSTs first undo that.
See ``core/tests/matrix.py``."""

import pytest

from conftest import World
from core.tests.matrix import HOME, LOGIN, Redirect, Row, cases, row, run_case, valid
from core.tests.matrix_second_factor import ENROL, RENEW, RESET, VERIFY

ENROL_PAGE = Redirect("second_factor:enrol")
CODES = Redirect("second_factor:recovery_codes")
of_coordinator_a = {"kwargs": lambda w: {"pk": w.coordinator_a.pk}}
PERSON = Redirect("accounts:detail", lambda w: {"pk": w.coordinator_a.pk})

ROWS: list[Row] = [
    #                                                   anon    mentor  coord A coord B manager
    row("second_factor:enrol", "already set up", [LOGIN, 200, 200, 200, 200]),
    row("second_factor:enrol", "already set up, POST", [LOGIN, *[ENROL_PAGE] * 4], method="post"),
    valid("second_factor:enrol", "new app", [LOGIN, *[CODES] * 4], ENROL),
    row("second_factor:recovery_codes", "none waiting", [LOGIN, *[ENROL_PAGE] * 4]),
    row("second_factor:recovery_codes_renew", "GET", [LOGIN, *[405] * 4]),
    valid("second_factor:recovery_codes_renew", "new codes", [LOGIN, *[CODES] * 4], RENEW),
    row("second_factor:verify", "already verified", [LOGIN, *[HOME] * 4]),
    valid("second_factor:verify", "password only", [LOGIN, *[HOME] * 4], VERIFY),
    row(
        "accounts:second_factor_reset",
        "coordinator A's",
        [LOGIN, 403, 403, 403, 200],
        **of_coordinator_a,
    ),
    valid(
        "accounts:second_factor_reset",
        "coordinator A's",
        [LOGIN, 403, 403, 403, PERSON],
        RESET,
        **of_coordinator_a,
    ),
    row(
        "accounts:second_factor_reset",
        "no such person",
        [LOGIN, 403, 403, 403, 404],
        method="post",
        kwargs=lambda w: {"pk": 999_999},
    ),
]


@pytest.mark.parametrize(**cases(ROWS))
def test_permission_matrix(shared_world: World, matrix_row: Row, role: str):
    run_case(shared_world, matrix_row, role)
