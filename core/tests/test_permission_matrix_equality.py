"""The permission matrix for equality monitoring: the person's own answers are read and
written by their scheme's coordinators alone. A mentor gets 403 (a staff page), even for
their own mentee; a manager gets 403 (they see the answers only counted, and suppressed, in
the funder report); anyone outside the scheme gets 404. Each write is also sent valid, in
scheme A by its coordinator and in scheme B by its. See ``core/tests/matrix.py``."""

import pytest

from conftest import World
from core.tests.matrix import LOGIN, Redirect, Row, Write, cases, row, run_case, valid
from core.tests.matrix_equality import answered, cleared, record


def equality_rows() -> list[Row]:
    a, b = (lambda w: w.mentee_a), (lambda w: w.mentee_b)
    of_a = {"kwargs": lambda w: {"pk": w.mentee_a.pk}}
    of_b = {"kwargs": lambda w: {"pk": w.mentee_b.pk}}
    to_a = Redirect("mentees:detail", lambda w: {"pk": w.mentee_a.pk})
    to_b = Redirect("mentees:detail", lambda w: {"pk": w.mentee_b.pk})
    with_answers = {"kwargs": lambda w: {"pk": answered(w.mentee_a_unmatched)}}
    to_answered = Redirect("mentees:detail", lambda w: {"pk": w.mentee_a_unmatched.pk})
    #        anon    mentor  coord A  coord B  manager
    return [
        row("mentees:equality", "mentor's own mentee", [LOGIN, 403, 200, 404, 403], **of_a),
        valid("mentees:equality", "scheme A", [LOGIN, 403, to_a, 404, 403], record(a), **of_a),
        row("mentees:equality", "scheme B", [LOGIN, 403, 404, 200, 403], **of_b),
        valid("mentees:equality", "scheme B", [LOGIN, 403, 404, to_b, 403], record(b), **of_b),
        row(
            "mentees:equality",
            "no such mentee",
            [LOGIN, 403, 404, 404, 404],
            kwargs=lambda w: {"pk": 999_999},
        ),
        row("mentees:equality_clear", "", [LOGIN, 403, 405, 405, 405], **with_answers),
        row(
            "mentees:equality_clear",
            "answers on record",
            [LOGIN, 403, to_answered, 404, 403],
            method="post",
            write=Write(audit=("mentee.equality_cleared",), done=cleared),
            **with_answers,
        ),
    ]


ROWS: list[Row] = equality_rows()


@pytest.mark.parametrize(**cases(ROWS))
def test_permission_matrix(shared_world: World, matrix_row: Row, role: str):
    run_case(shared_world, matrix_row, role)
