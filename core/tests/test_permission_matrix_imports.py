"""The permission matrix for imports: coordinators (into their own schemes) and managers (any
scheme) upload; a mentor never; a job, its progress and its go-ahead are its uploader's alone
(anyone else: 404). Each write is sent valid. See ``core/tests/matrix.py``."""

import pytest

from conftest import World
from core.tests.matrix import LOGIN, Redirect, Row, Write, cases, row, run_case, valid
from core.tests.matrix_imports import confirmed, newest_job, ready_job, upload_body, uploaded


def import_rows() -> list[Row]:
    coordinators = {"kwargs": lambda w: {"pk": ready_job(w, "coordinator_a")}}
    managers = {"kwargs": lambda w: {"pk": ready_job(w, "manager")}}
    to_new = Redirect("home:import_job", newest_job)
    to_coordinators = Redirect("home:import_job", lambda w: {"pk": ready_job(w, "coordinator_a")})
    to_managers = Redirect("home:import_job", lambda w: {"pk": ready_job(w, "manager")})
    go = Write(audit=("import.confirmed",), done=confirmed)
    #        anon    mentor  coord A  coord B  manager
    return [
        row("home:import", "", [LOGIN, 403, 200, 200, 200]),
        row("home:import", "POST", [LOGIN, 403, 200, 200, 200], method="post"),
        valid(
            "home:import",
            "mentees",
            [LOGIN, 403, to_new, to_new, to_new],
            Write(audit=("import.uploaded",), data=upload_body, done=uploaded),
        ),
        row("home:import_job", "coordinator's", [LOGIN, 403, 200, 404, 404], **coordinators),
        row("home:import_job", "manager's", [LOGIN, 403, 404, 404, 200], **managers),
        row(
            "home:import_job_progress",
            "coordinator's",
            [LOGIN, 403, 200, 404, 404],
            **coordinators,
        ),
        row("home:import_job_progress", "manager's", [LOGIN, 403, 404, 404, 200], **managers),
        row("home:import_job_go", "coordinator's", [LOGIN, 403, 405, 405, 405], **coordinators),
        valid(
            "home:import_job_go",
            "coordinator's",
            [LOGIN, 403, to_coordinators, 404, 404],
            go,
            **coordinators,
        ),
        valid(
            "home:import_job_go",
            "manager's",
            [LOGIN, 403, 404, 404, to_managers],
            go,
            **managers,
        ),
    ]


ROWS = import_rows()


@pytest.mark.parametrize(**cases(ROWS))
def test_permission_matrix_imports(shared_world: World, matrix_row: Row, role: str):
    """Each import URL answers each role as its row says; refused POSTs change nothing."""
    run_case(shared_world, matrix_row, role)
