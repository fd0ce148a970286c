"""The permission matrix for a mentor's own profile: each page is the mentor's own file only
(404 for another mentor's, even in the same scheme, and for every other role, whose own file
it is not); a coordinator of the scheme answers a capacity request on the file (another
scheme's coordinator: 404; a manager: 403, as for every write to a file; a mentor: 403, as
for every staff page). Each write is sent valid. See ``core/tests/matrix.py``."""

import pytest

from conftest import World
from core.tests import matrix_mentor_self as m
from core.tests.matrix import LOGIN, Redirect, Row, Write, cases, row, run_case, valid

MINE = [LOGIN, 200, 404, 404, 404]
NOBODY = [LOGIN, 404, 404, 404, 404]
BACK = Redirect("mentors:own_detail", m.own)


def _mine(url: str, write: Write) -> list[Row]:
    """A page of the mentor's own: open and written by the mentor on their own file only."""
    return [
        row(url, "own", MINE, kwargs=m.own),
        row(url, "another mentor's", NOBODY, kwargs=m.other),
        valid(url, "own", [LOGIN, BACK, 404, 404, 404], write, kwargs=m.own),
        row(url, "another mentor's, POST", NOBODY, method="post", kwargs=m.other),
    ]


def mentor_self_rows() -> list[Row]:
    to_file_a = Redirect("mentors:detail", lambda w: {"pk": w.mentor_file_a.pk})
    to_file_b = Redirect("mentors:detail", lambda w: {"pk": w.mentor_file_b.pk})
    decide = Write(audit=("mentor.capacity_approved",), data=m.approve_body, done=m.approved)
    #        anon    mentor  coord A  coord B  manager
    return [
        row("mentors:own", "", [LOGIN, BACK, 404, 404, 404]),
        row("mentors:own_detail", "own", MINE, kwargs=m.own),
        row("mentors:own_detail", "another mentor's", NOBODY, kwargs=m.other),
        *_mine(
            "mentors:own_availability",
            Write(audit=("mentor.availability_set",), data=m.slots_body, done=m.slots_saved),
        ),
        *_mine(
            "mentors:own_away_add",
            Write(audit=("mentor.unavailable_period_added",), data=m.away_body, done=m.away_saved),
        ),
        *_mine(
            "mentors:own_capacity",
            Write(
                audit=("mentor.capacity_requested",), data=m.capacity_body, done=m.capacity_asked
            ),
        ),
        *_mine(
            "mentors:own_contact",
            Write(audit=("mentor.contact_changed",), data=m.contact_body, done=m.contact_saved),
        ),
        *_mine(
            "mentors:own_reflection",
            Write(
                audit=("mentor.reflection_saved",), data=m.reflection_body, done=m.reflection_saved
            ),
        ),
        row("mentors:own_away_remove", "own", [405] * 5, kwargs=m.own_period),
        valid(
            "mentors:own_away_remove",
            "own",
            [LOGIN, BACK, 404, 404, 404],
            Write(audit=("mentor.unavailable_period_removed",), done=m.period_removed),
            kwargs=m.own_period,
        ),
        row(
            "mentors:own_away_remove",
            "another mentor's, POST",
            NOBODY,
            method="post",
            kwargs=m.other_period,
        ),
        row("mentors:capacity_decide", "scheme A", [405] * 5, kwargs=m.request_a),
        valid(
            "mentors:capacity_decide",
            "scheme A",
            [LOGIN, 403, to_file_a, 404, 403],
            decide,
            kwargs=m.request_a,
        ),
        valid(
            "mentors:capacity_decide",
            "scheme B",
            [LOGIN, 403, 404, to_file_b, 403],
            decide,
            kwargs=m.request_b,
        ),
    ]


ROWS = mentor_self_rows()


@pytest.mark.parametrize(**cases(ROWS))
def test_permission_matrix_mentor_self(shared_world: World, matrix_row: Row, role: str):
    """Each self-service URL answers each role as its row says; refused POSTs change
    nothing."""
    run_case(shared_world, matrix_row, role)
