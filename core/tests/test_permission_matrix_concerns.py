"""The permission matrix for concerns: the list, a concern's page, acknowledging, recording an
action, closing, and a coordinator recording a concern about a mentee. Concerns are for
their scheme's staff: the mentor gets 404 on a concern's page (it says nothing, not even
that it exists), a coordinator of another scheme 404, a manager reads and acts on every
scheme's (an escalated concern is theirs to chase). Recording a new one is a coordinator's.
See ``core/tests/matrix.py``."""

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from concerns.models import ActionKind, Category, Concern, Outcome, Urgency
from conftest import World
from core.tests.matrix import LOGIN, Redirect, Row, Write, cases, day, row, run_case, valid

WORDS = "Matrix concern: he says he is being followed home"


def _concern(world: World) -> int:
    """A concern about mentee A waiting to be acknowledged (made on first use)."""
    now = timezone.now()
    concern, _ = Concern.objects.get_or_create(
        words=WORDS,
        defaults={
            "scheme": world.scheme_a,
            "mentee": world.mentee_a,
            "relationship": world.relationship_a,
            "raised_by": world.mentor_a,
            "raised_at": now,
            "category": Category.SAFEGUARDING_MENTEE,
            "due_at": now + timezone.timedelta(hours=24),
        },
    )
    return concern.pk


def _concern_is(status: str) -> Callable[[World, User | None, Any], None]:
    def done(world: World, user: User | None, client: Any) -> None:
        concern = Concern.objects.get(pk=_concern(world))
        assert concern.status == status
        assert concern.acknowledged_by == user

    return done


def _action_recorded(world: World, user: User | None, client: Any) -> None:
    concern = Concern.objects.get(pk=_concern(world))
    assert concern.actions.get().by == user


def _newest(world: World) -> dict[str, Any]:
    return {"pk": Concern.objects.latest("pk").pk}


def concern_rows() -> list[Row]:
    a = {"kwargs": lambda w: {"pk": _concern(w)}}
    back = Redirect("concerns:detail", lambda w: {"pk": _concern(w)})
    about_a = {"kwargs": lambda w: {"mentee_pk": w.mentee_a.pk}}
    #        anon    mentor  coord A  coord B  manager
    return [
        row("concerns:list", "", [LOGIN, 403, 200, 200, 200]),
        row("concerns:detail", "scheme A", [LOGIN, 404, 200, 404, 200], **a),
        row("concerns:acknowledge", "scheme A", [LOGIN, 404, back, 404, back], **a),
        valid(
            "concerns:acknowledge",
            "scheme A",
            [LOGIN, 404, back, 404, back],
            Write(
                audit=("concern.acknowledged",),
                done=_concern_is(Concern.Status.ACKNOWLEDGED),
            ),
            **a,
        ),
        row("concerns:action", "scheme A", [LOGIN, 404, 200, 404, 200], **a),
        row("concerns:action", "scheme A, post", [LOGIN, 404, 200, 404, 200], method="post", **a),
        valid(
            "concerns:action",
            "scheme A",
            [LOGIN, 404, back, 404, back],
            Write(
                audit=("concern.acknowledged", "concern.action_added"),
                data=lambda w, u: {
                    "action-kind": ActionKind.CALLED_MENTEE,
                    "action-taken_on": day(0),
                    "action-note": "He is safe at his sister's.",
                },
                done=_action_recorded,
            ),
            **a,
        ),
        row("concerns:close", "scheme A", [LOGIN, 404, 200, 404, 200], **a),
        row("concerns:close", "scheme A, post", [LOGIN, 404, 200, 404, 200], method="post", **a),
        valid(
            "concerns:close",
            "scheme A",
            [LOGIN, 404, back, 404, back],
            Write(
                audit=("concern.closed",),
                data=lambda w, u: {
                    "close-outcome": Outcome.REFERRED,
                    "close-note": "Passed to the police, who have it in hand.",
                },
                done=_concern_is(Concern.Status.CLOSED),
            ),
            **a,
        ),
        row("concerns:new", "mentee A", [LOGIN, 403, 200, 404, 403], **about_a),
        row(
            "concerns:new", "mentee A, post", [LOGIN, 403, 200, 404, 403], method="post", **about_a
        ),
        valid(
            "concerns:new",
            "mentee A",
            [LOGIN, 403, Redirect("concerns:detail", _newest), 404, 403],
            Write(
                audit=("concern.raised",),
                data=lambda w, u: {
                    "category": Category.RISK_TO_OTHERS,
                    "urgency": Urgency.TODAY,
                    "words": "Threatened his neighbour on the phone.",
                },
                done=lambda w, u, c: Concern.objects.get(raised_by=u, mentee=w.mentee_a),
            ),
            **about_a,
        ),
    ]


ROWS: list[Row] = [*concern_rows()]


@pytest.mark.parametrize(**cases(ROWS))
def test_permission_matrix(shared_world: World, matrix_row: Row, role: str):
    run_case(shared_world, matrix_row, role)
