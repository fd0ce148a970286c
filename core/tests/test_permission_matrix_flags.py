"""The permission matrix for the watcher's flags: the queue, a flag's page, acknowledging and
resolving, for every role, with a valid POST for every write a role may make. See
core/tests/matrix.py."""

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from conftest import World
from core.tests.matrix import (
    LOGIN,
    Redirect,
    Row,
    Write,
    cases,
    row,
    run_case,
    valid,
)
from flags.models import Action, Flag, Kind, Severity
from relationships.models import (
    Relationship,
)

# --- Flags -----------------------------------------------------------------------------------


def _flag(relationship: Relationship) -> int:
    """A live flag on ``relationship`` (made on first use)."""
    flag, _ = Flag.objects.get_or_create(
        kind=Kind.SILENCE,
        relationship=relationship,
        defaults={
            "severity": Severity.HIGH,
            "scheme_id": relationship.mentee.scheme_id,
            "evidence": "No meeting held for 20 days.",
            "raised_at": timezone.now(),
        },
    )
    return flag.pk


def _flag_is(status: str) -> Callable[[World, User | None, Any], None]:
    def done(world: World, user: User | None, client) -> None:
        flag = Flag.objects.get(pk=_flag(world.relationship_a))
        assert flag.status == status
        assert user.pk in (flag.acknowledged_by_id, flag.resolved_by_id)

    return done


def flag_rows() -> list[Row]:
    """Flags are for staff: mentors get 403 (they see prompts on their own pages instead),
    coordinators their schemes' flags, managers every flag, read-only."""
    a = {"kwargs": lambda w: {"pk": _flag(w.relationship_a)}}
    back = Redirect("flags:detail", lambda w: {"pk": _flag(w.relationship_a)})
    return [
        row("flags:list", "", [LOGIN, 403, 200, 200, 200]),
        row("flags:detail", "scheme A", [LOGIN, 403, 200, 404, 200], **a),
        row("flags:acknowledge", "scheme A", [LOGIN, 403, 200, 404, 403], **a),
        row(
            "flags:acknowledge",
            "scheme A, post",
            [LOGIN, 403, 200, 404, 403],
            method="post",
            **a,
        ),
        valid(
            "flags:acknowledge",
            "scheme A",
            [LOGIN, 403, back, 404, 403],
            Write(
                audit=("flag.acknowledged",),
                data=lambda w, u: {
                    "acknowledge-action": Action.TALKED_WITH_MENTOR,
                    "acknowledge-note": "Rang them.",
                },
                done=_flag_is(Flag.Status.ACKNOWLEDGED),
            ),
            **a,
        ),
        row("flags:resolve", "scheme A", [LOGIN, 403, 200, 404, 403], **a),
        valid(
            "flags:resolve",
            "scheme A",
            [LOGIN, 403, back, 404, 403],
            Write(
                audit=("flag.resolved",),
                data=lambda w, u: {"resolve-note": "They met on Friday."},
                done=_flag_is(Flag.Status.RESOLVED),
            ),
            **a,
        ),
    ]


ROWS: list[Row] = [
    *flag_rows(),
]


@pytest.mark.parametrize(**cases(ROWS))
def test_permission_matrix(shared_world: World, matrix_row: Row, role: str):
    run_case(shared_world, matrix_row, role)
