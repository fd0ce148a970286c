"""The permission matrix for the import page's example files: a coordinator or a manager
downloads them (they hold made-up people only); a mentor never; nothing is written, so a
POST is refused. See ``core/tests/matrix.py``."""

import pytest

from conftest import World
from core.tests.matrix import LOGIN, Row, cases, row, run_case

EXAMPLE = {"kwargs": lambda w: {"kind": "mentees"}}

#        anon    mentor  coord A  coord B  manager
ROWS: list[Row] = [
    row("home:import_example", "", [LOGIN, 403, 200, 200, 200], **EXAMPLE),
    row("home:import_example", "POST", [LOGIN, 403, 405, 405, 405], method="post", **EXAMPLE),
]


@pytest.mark.parametrize(**cases(ROWS))
def test_permission_matrix_walkthrough(shared_world: World, matrix_row: Row, role: str):
    """The example download answers each role as its row says."""
    run_case(shared_world, matrix_row, role)
