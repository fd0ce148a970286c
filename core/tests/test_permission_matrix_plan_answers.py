"""The permission matrix for "Did it happen?": the answer page of a planned meeting and its
one-tap answers. The relationship's mentor and the scheme's coordinators answer; another
mentor and another scheme's coordinator get 404, as for a missing plan; a manager reads
relationships but answers nothing (403). The answers are POST only (405 otherwise). See
``core/tests/matrix.py``."""

import pytest

from conftest import World
from core.tests.matrix import LOGIN, Redirect, Row, Write, cases, row, run_case, valid
from core.tests.matrix_plan_answers import (
    answered_others,
    answered_own,
    answered_plan,
    others_plan,
    own_plan,
)

DNA, BY_MENTEE = "did_not_attend", "cancelled_by_mentee"


def plan_answer_rows() -> list[Row]:
    own = {"kwargs": lambda w: {"pk": own_plan(w)}}
    theirs = {"kwargs": lambda w: {"pk": others_plan(w)}}
    answered = {"kwargs": lambda w: {"pk": answered_plan(w)}}
    missing = {"kwargs": lambda w: {"pk": 999999}}
    own_dna = {"kwargs": lambda w: {"pk": own_plan(w), "answer": DNA}}
    theirs_cancelled = {"kwargs": lambda w: {"pk": others_plan(w), "answer": BY_MENTEE}}
    to_own = Redirect("relationships:detail", lambda w: {"pk": w.relationship_a.pk})
    to_theirs = Redirect("relationships:detail", lambda w: {"pk": w.relationship_a_other.pk})
    audit_dna = ("meeting.logged", f"plan.{DNA}")
    audit_cancelled = ("meeting.logged", f"plan.{BY_MENTEE}")
    answer = "relationships:plan_answer_not_held"
    #        anon    mentor  coord A  coord B  manager
    return [
        row("relationships:plan_answer", "own", [LOGIN, 200, 200, 404, 403], **own),
        row("relationships:plan_answer", "answered", [LOGIN, 200, 200, 404, 403], **answered),
        row("relationships:plan_answer", "another's", [LOGIN, 404, 200, 404, 403], **theirs),
        row("relationships:plan_answer", "missing", [LOGIN, 404, 404, 404, 404], **missing),
        row(answer, "own", [LOGIN, 405, 405, 405, 405], **own_dna),
        valid(
            answer,
            "own",
            [LOGIN, to_own, to_own, 404, 403],
            Write(audit=audit_dna, done=answered_own),
            **own_dna,
        ),
        valid(
            answer,
            "another's",
            [LOGIN, 404, to_theirs, 404, 403],
            Write(audit=audit_cancelled, done=answered_others),
            **theirs_cancelled,
        ),
        row(
            answer,
            "missing",
            [LOGIN, 404, 404, 404, 404],
            method="post",
            kwargs=lambda w: {"pk": 999999, "answer": DNA},
        ),
    ]


ROWS = plan_answer_rows()


@pytest.mark.parametrize(**cases(ROWS))
def test_permission_matrix_plan_answers(shared_world: World, matrix_row: Row, role: str):
    run_case(shared_world, matrix_row, role)
