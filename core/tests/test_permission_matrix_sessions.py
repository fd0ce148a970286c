"""The permission matrix for "Your sessions" (its rows: ``core/tests/matrix_sessions.py``)."""

import pytest

from conftest import World
from core.tests.matrix import Row, cases, run_case
from core.tests.matrix_sessions import session_rows

ROWS: list[Row] = session_rows()


@pytest.mark.parametrize(**cases(ROWS))
def test_permission_matrix(shared_world: World, matrix_row: Row, role: str):
    run_case(shared_world, matrix_row, role)
