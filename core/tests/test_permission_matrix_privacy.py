"""The permission matrix for erasure and subject access: managers' pages. A coordinator of
the person's scheme gets 403 (they write the case; managers answer for what is held), anyone
else 404 for the person; the exports themselves are the managers' alone (403). Each write is
sent valid by the manager. See ``core/tests/matrix.py``."""

import pytest

from conftest import World
from core.tests.matrix import LOGIN, Redirect, Row, Write, cases, row, run_case, valid
from core.tests.matrix_privacy import (
    drafted,
    ended_person,
    erased,
    export,
    newest_export,
    released,
)


def privacy_rows() -> list[Row]:
    person = {"kwargs": lambda w: {"pk": ended_person(w)}}
    draft = {"kwargs": lambda w: {"pk": export(w, "draft")}}
    out = {"kwargs": lambda w: {"pk": export(w, "released"), "fmt": "json"}}
    draft_pdf = {"kwargs": lambda w: {"pk": export(w, "draft"), "fmt": "pdf"}}
    to_person = Redirect("mentees:detail", lambda w: {"pk": ended_person(w)})
    to_draft = Redirect("privacy:access_review", lambda w: {"pk": export(w, "draft")})
    #        anon    mentor  coord A  coord B  manager
    return [
        row("privacy:erase", "ended person", [LOGIN, 404, 403, 404, 200], **person),
        row(
            "privacy:erase",
            "ended person, post",
            [LOGIN, 404, 403, 404, 200],
            method="post",
            **person,
        ),
        valid(
            "privacy:erase",
            "ended person",
            [LOGIN, 404, 403, 404, to_person],
            Write(
                audit=("mentee.erased",), data=lambda w, u: {"reason": "person_asked"}, done=erased
            ),
            **person,
        ),
        row("privacy:access", "ended person", [LOGIN, 404, 403, 404, 200], **person),
        row("privacy:access_generate", "ended person", [LOGIN, 405, 405, 405, 405], **person),
        valid(
            "privacy:access_generate",
            "ended person",
            [LOGIN, 404, 403, 404, Redirect("privacy:access_review", newest_export)],
            Write(audit=("subject_access.generated",), done=drafted),
            **person,
        ),
        row("privacy:access_review", "draft", [LOGIN, 403, 403, 403, 200], **draft),
        row("privacy:access_release", "draft", [LOGIN, 403, 403, 403, 405], **draft),
        valid(
            "privacy:access_release",
            "draft",
            [LOGIN, 403, 403, 403, to_draft],
            Write(audit=("subject_access.released",), done=released),
            **draft,
        ),
        row("privacy:access_download", "released", [LOGIN, 403, 403, 403, 200], **out),
        # A draft is not downloadable, by anyone: the review step comes first.
        row("privacy:access_download", "draft", [LOGIN, 403, 403, 403, 404], **draft_pdf),
    ]


ROWS = privacy_rows()


@pytest.mark.parametrize(**cases(ROWS))
def test_permission_matrix_privacy(shared_world: World, matrix_row: Row, role: str):
    run_case(shared_world, matrix_row, role)
