"""The permission matrix for the rules' usefulness pages (its rows:
``core/tests/matrix_rule_usefulness.py``)."""

import pytest

from conftest import World
from core.tests.matrix import Row, cases, run_case
from core.tests.matrix_rule_usefulness import rule_usefulness_rows

ROWS: list[Row] = rule_usefulness_rows()


@pytest.mark.parametrize(**cases(ROWS))
def test_permission_matrix(shared_world: World, matrix_row: Row, role: str):
    run_case(shared_world, matrix_row, role)
