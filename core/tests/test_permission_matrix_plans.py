"""The permission matrix for planned meetings: planning one from a relationship, moving it and
cancelling it ahead of time. The relationship's mentor and the scheme's coordinators write
(another mentor's relationship or plan is a 404); managers read plans on the relationship
page but change none (403). Each write is also sent valid, by every role that may make it.
See ``core/tests/matrix.py``."""

import pytest

from conftest import World
from core.tests.matrix import LOGIN, Row, Write, cases, row, run_case, valid
from core.tests.matrix_plans import (
    CANCEL,
    NEW_PLAN,
    cancelled,
    moved,
    plan_of,
    planned,
    when,
)
from core.tests.matrix_relationships import PickRelationship, detail, other, own


def plan_rows(label: str, pick: PickRelationship, mentor: int) -> list[Row]:
    """Every planning URL on ``pick``'s relationship: ``mentor`` is what mentor_a gets (200
    on their own, 404 on another mentor's)."""
    of_rel = {"kwargs": lambda w: {"pk": pick(w).pk}}
    of_plan = {"kwargs": plan_of(pick)}
    back = detail(pick)
    may = back if mentor == 200 else mentor
    writes = {
        "relationships:plan_new": (
            of_rel,
            Write(audit=("plan.planned",), data=lambda w, u: NEW_PLAN, done=planned(pick)),
        ),
        "relationships:plan_move": (
            of_plan,
            Write(audit=("plan.moved",), data=lambda w, u: when(6), done=moved(pick)),
        ),
        "relationships:plan_cancel": (
            of_plan,
            Write(
                audit=("plan.cancelled_by_mentee",),
                data=lambda w, u: CANCEL,
                done=cancelled(pick),
            ),
        ),
    }
    rows = []
    for name, (kwargs, write) in writes.items():
        #                                  anon    mentor  coord A coord B manager
        rows += [
            row(name, label, [LOGIN, mentor, 200, 404, 403], **kwargs),
            row(name, f"{label}, POST", [LOGIN, mentor, 200, 404, 403], method="post", **kwargs),
            valid(name, label, [LOGIN, may, back, 404, 403], write, **kwargs),
        ]
    return rows


ROWS: list[Row] = [
    *plan_rows("own", own, 200),
    *plan_rows("another mentor's", other, 404),
    row(
        "relationships:plan_new",
        "missing",
        [LOGIN, 404, 404, 404, 404],
        kwargs=lambda w: {"pk": 999_999},
    ),
    row(
        "relationships:plan_move",
        "missing",
        [LOGIN, 404, 404, 404, 404],
        kwargs=lambda w: {"pk": 999_999},
    ),
    row(
        "relationships:plan_cancel",
        "missing",
        [LOGIN, 404, 404, 404, 404],
        kwargs=lambda w: {"pk": 999_999},
    ),
]


@pytest.mark.parametrize(**cases(ROWS))
def test_permission_matrix(shared_world: World, matrix_row: Row, role: str):
    run_case(shared_world, matrix_row, role)
