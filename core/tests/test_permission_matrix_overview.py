"""The permission matrix for the manager's overview (issue 12): a page for managers only, as
the people list and the audit trail are; coordinators and mentors are refused (403). See
core/tests/matrix.py."""

import pytest

from conftest import World
from core.tests.matrix import LOGIN, Row, cases, row, run_case

ROWS: list[Row] = [
    #                                            anon   mentor coord A coord B manager
    row("home:overview", "", [LOGIN, 403, 403, 403, 200]),
]


@pytest.mark.parametrize(**cases(ROWS))
def test_permission_matrix(shared_world: World, matrix_row: Row, role: str):
    run_case(shared_world, matrix_row, role)
