"""The permission matrix for relationships: the pages, the goal plan, reviews and the
relationship's life, matching, meetings and flags. The mentor sees their own relationship
(another mentor's is a 404), coordinators their schemes', managers every one, read-only.
Each write is also sent valid, by every role that may make it. See ``core/tests/matrix.py``.
"""

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from accounts.models import User
from conftest import World
from core.tests.matrix import (
    LOGIN,
    Row,
    Write,
    cases,
    day,
    row,
    run_case,
    today,
    valid,
)
from core.tests.matrix_relationships import (
    PickRelationship,
    S,
    detail,
    fresh,
    other,
    own,
)
from mentees.models import Referral
from mentees.tests.factories import ConsentFactory
from relationships.models import (
    Goal,
    GoalScore,
    Party,
    Pause,
    Relationship,
    RelationshipChange,
    Review,
    Step,
)
from relationships.tests.factories import GoalFactory, StepFactory


def relationship_rows() -> list[Row]:
    of_own = {"kwargs": lambda w: {"pk": w.relationship_a.pk}}
    of_other = {"kwargs": lambda w: {"pk": w.relationship_a_other.pk}}
    return [
        row("relationships:my_mentees", "", [LOGIN, 200, 403, 403, 403]),
        row("relationships:list", "", [LOGIN, 403, 200, 200, 200]),
        row("relationships:detail", "own", [LOGIN, 200, 200, 404, 200], **of_own),
        row("relationships:detail", "another mentor's", [LOGIN, 404, 200, 404, 200], **of_other),
    ]


# --- Goals and steps ---------------------------------------------------------------------------

NEW_GOAL = "get my own flat by the summer"
NEW_STEP = "Phone the housing office together"


def _goal(pick: PickRelationship) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": GoalFactory(relationship=pick(w)).pk}


def _step(pick: PickRelationship) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": StepFactory(goal__relationship=pick(w)).pk}


GOAL_BODY = {
    "title": NEW_GOAL,
    "proposed_by": Party.MENTEE,
    "domain": "accommodation",
    "primary_good": "agency",
}
STEP_BODY = {"description": NEW_STEP, "owner": Party.TOGETHER, "due_on": day(7)}


def goal_writes(pick: PickRelationship) -> dict[str, Write]:
    def goals(world: World):
        return Goal.objects.filter(relationship=pick(world))

    def steps(world: World):
        return Step.objects.filter(goal__relationship=pick(world))

    return {
        "relationships:goal_add": Write(
            audit=("goal.created",),
            data=lambda w, u: GOAL_BODY,
            done=lambda w, u, c: goals(w).get(title=NEW_GOAL, created_by=u),
        ),
        "relationships:goal_edit": Write(
            audit=("goal.updated",),
            data=lambda w, u: GOAL_BODY,
            done=lambda w, u, c: goals(w).get(title=NEW_GOAL),
        ),
        "relationships:goal_status": Write(
            audit=("goal.status_changed",),
            data=lambda w, u: {"status": Goal.Status.ACHIEVED, "on": day(0)},
            done=lambda w, u, c: goals(w).get(status=Goal.Status.ACHIEVED, closed_on=today()),
        ),
        "relationships:step_add": Write(
            audit=("step.created",),
            data=lambda w, u: {**STEP_BODY, "due_on": day(7)},
            done=lambda w, u, c: steps(w).get(description=NEW_STEP, owner=Party.TOGETHER),
        ),
        "relationships:step_edit": Write(
            audit=("step.updated",),
            data=lambda w, u: {**STEP_BODY, "due_on": day(7), "status": Step.Status.TO_DO},
            done=lambda w, u, c: steps(w).get(
                description=NEW_STEP, due_on=today() + datetime.timedelta(days=7)
            ),
        ),
    }


STEP_DONE = Write(
    audit=("step.done",),
    done=lambda w, u, c: Step.objects.get(status=Step.Status.DONE, done_on=today()),
)


# --- Reviews and the relationship's life ---------------------------------------------------


def _with_goal(relationship: Relationship) -> Relationship:
    GoalFactory(relationship=relationship, title="Back into work", domain="ete")
    return relationship


def _paused(relationship: Relationship) -> Relationship:
    """Paused three days ago, as ``relationship_pause`` leaves it."""
    started = today() - datetime.timedelta(days=3)
    Relationship.objects.filter(pk=relationship.pk).update(status=S.PAUSED)
    Pause.objects.create(relationship_id=relationship.pk, reason="hospital", starts_on=started)
    RelationshipChange.objects.create(
        relationship_id=relationship.pk, from_status=S.ACTIVE, to_status=S.PAUSED, on=started
    )
    return relationship


def _closed(relationship: Relationship, coordinator: User) -> Relationship:
    """Closed two days ago as planned, with its referral ended, as ``relationship_close``
    leaves it; the person's consent stands (they may want to come back)."""
    closed = today() - datetime.timedelta(days=2)
    Relationship.objects.filter(pk=relationship.pk).update(
        status=S.CLOSED,
        closed_on=closed,
        closure_type=Relationship.ClosureType.PLANNED,
        closure_reason=Relationship.ClosureReason.GOALS_ACHIEVED,
        final_review="Goals met.",
        contact_after=Relationship.ContactAfter.NONE,
    )
    RelationshipChange.objects.create(
        relationship_id=relationship.pk, from_status=S.ACTIVE, to_status=S.CLOSED, on=closed
    )
    Referral.objects.filter(
        mentee_id=relationship.mentee_id, status__in=[Referral.Status.MATCHED]
    ).update(
        status=Referral.Status.ENDED,
        exit_reason=Referral.ExitReason.COMPLETED,
        status_changed_on=closed,
    )
    if not relationship.mentee.consents.filter(withdrawn_on=None).exists():
        ConsentFactory(mentee=relationship.mentee, explained_by=coordinator)
    return relationship


def _review_body(pick: PickRelationship) -> Callable[[World, User | None], dict[str, Any]]:
    def data(world: World, user: User | None) -> dict[str, Any]:
        scores = {f"score_{g.pk}": "6" for g in Goal.objects.filter(relationship=pick(world))}
        return {
            **scores,
            "held_on": day(0),
            "mentee_driving": "shared",
            "mentor_driving": "mentee_led",
            "mentee_rating": "7",
            "mentor_rating": "8",
            "goal_changes": "",
            "ending_plan": "Taper to fortnightly from month five.",
        }

    return data


def _status_is(pick: PickRelationship, status: str) -> Callable[[World, User | None, Any], None]:
    def done(world: World, user: User | None, client) -> None:
        relationship = fresh(pick(world))
        assert relationship.status == status
        assert relationship.changes.filter(to_status=status, by=user).exists()

    return done


def _reviewed(pick: PickRelationship) -> Callable[[World, User | None, Any], None]:
    def done(world: World, user: User | None, client) -> None:
        review = Review.objects.get(relationship=pick(world), recorded_by=user)
        assert [s.score for s in GoalScore.objects.filter(review=review)] == [6]
        assert fresh(pick(world)).next_review_on > today()

    return done


def life_writes(pick: PickRelationship) -> dict[str, Write]:
    return {
        "relationships:review_add": Write(
            audit=("review.recorded",), data=_review_body(pick), done=_reviewed(pick)
        ),
        "relationships:pause": Write(
            audit=("relationship.paused",),
            data=lambda w, u: {"reason": Pause.Reason.HOSPITAL, "note": "", "starts_on": day(0)},
            done=_status_is(pick, S.PAUSED),
        ),
        "relationships:resume": Write(
            audit=("relationship.resumed",),
            data=lambda w, u: {"resumed_on": day(0)},
            done=_status_is(pick, S.ACTIVE),
        ),
        "relationships:ending": Write(
            audit=("relationship.ending_agreed",),
            data=lambda w, u: {
                "exit_plan": "Fortnightly, then a last meeting at the library.",
                "planned_end_on": day(60),
                "agreed_on": day(0),
            },
            done=_status_is(pick, S.ENDING),
        ),
        "relationships:close": Write(
            audit=("relationship.closed",),
            data=lambda w, u: {
                "closure_type": Relationship.ClosureType.PLANNED,
                "closure_reason": Relationship.ClosureReason.GOALS_ACHIEVED,
                "final_review": "Has a flat and a job.",
                "contact_after": Relationship.ContactAfter.THROUGH_SCHEME,
                "closed_on": day(0),
            },
            done=_status_is(pick, S.CLOSED),
        ),
        "relationships:reopen": Write(
            audit=("relationship.reopened",),
            data=lambda w, u: {"reason": "Back in touch after a move.", "reopened_on": day(0)},
            done=_status_is(pick, S.ACTIVE),
        ),
    }


def plan_rows() -> list[Row]:
    """Goal plans, reviews and the relationship's life. Goals and steps: the relationship's
    mentor and the scheme's coordinators. Reviews, pause, resume, ending, closure, reopening:
    coordinators only (the mentor gets 403 on their own, 404 on another mentor's). Managers
    read the page but write nothing (403)."""
    of_own = {"kwargs": lambda w: {"pk": w.relationship_a.pk}}
    of_other = {"kwargs": lambda w: {"pk": w.relationship_a_other.pk}}
    own_goal, other_goal = {"kwargs": _goal(own)}, {"kwargs": _goal(other)}
    own_step, other_step = {"kwargs": _step(own)}, {"kwargs": _step(other)}
    to_own, to_other = detail(own), detail(other)
    own_writes, other_writes = goal_writes(own), goal_writes(other)
    rows = []
    for name, mine, theirs in [
        ("relationships:goal_add", of_own, of_other),
        ("relationships:goal_edit", own_goal, other_goal),
        ("relationships:goal_status", own_goal, other_goal),
        ("relationships:step_add", own_goal, other_goal),
        ("relationships:step_edit", own_step, other_step),
    ]:
        rows += [
            row(name, "own", [LOGIN, 200, 200, 404, 403], **mine),
            row(name, "own, POST", [LOGIN, 200, 200, 404, 403], method="post", **mine),
            valid(name, "own", [LOGIN, to_own, to_own, 404, 403], own_writes[name], **mine),
            row(name, "another mentor's", [LOGIN, 404, 200, 404, 403], **theirs),
            row(name, "another's, POST", [LOGIN, 404, 200, 404, 403], method="post", **theirs),
            valid(
                name,
                "another mentor's",
                [LOGIN, 404, to_other, 404, 403],
                other_writes[name],
                **theirs,
            ),
        ]
    rows += [
        row(
            "relationships:step_done",
            "own",
            [LOGIN, detail(own, "#goals"), detail(own, "#goals"), 404, 403],
            method="post",
            write=STEP_DONE,
            **own_step,
        ),
        row(
            "relationships:step_done",
            "another mentor's",
            [LOGIN, 404, detail(other, "#goals"), 404, 403],
            method="post",
            write=STEP_DONE,
            **other_step,
        ),
    ]
    # The state each step of the relationship's life starts from, where it is not "active".
    prepared: dict[str, Callable[[World, PickRelationship], Relationship]] = {
        "relationships:review_add": lambda w, pick: _with_goal(pick(w)),
        "relationships:resume": lambda w, pick: _paused(pick(w)),
        "relationships:reopen": lambda w, pick: _closed(pick(w), w.coordinator_a),
    }
    own_life, other_life = life_writes(own), life_writes(other)
    for name in [
        "relationships:review_add",
        "relationships:pause",
        "relationships:resume",
        "relationships:ending",
        "relationships:close",
        "relationships:reopen",
    ]:
        prepare = prepared.get(name, lambda w, pick: pick(w))
        rows += [
            row(name, "own", [LOGIN, 403, 200, 404, 403], **of_own),
            row(name, "own, POST", [LOGIN, 403, 200, 404, 403], method="post", **of_own),
            valid(
                name,
                "own",
                # A closed relationship is gone from its mentor's sight: 404, not 403.
                [
                    LOGIN,
                    404 if name == "relationships:reopen" else 403,
                    detail(own),
                    404,
                    403,
                ],
                own_life[name],
                kwargs=lambda w, prepare=prepare: {"pk": prepare(w, own).pk},
            ),
            row(name, "another mentor's", [LOGIN, 404, 200, 404, 403], **of_other),
            valid(
                name,
                "another mentor's",
                [LOGIN, 404, detail(other), 404, 403],
                other_life[name],
                kwargs=lambda w, prepare=prepare: {"pk": prepare(w, other).pk},
            ),
        ]
    return rows


ROWS: list[Row] = [
    *relationship_rows(),
    *plan_rows(),
]


@pytest.mark.parametrize(**cases(ROWS))
def test_permission_matrix(shared_world: World, matrix_row: Row, role: str):
    run_case(shared_world, matrix_row, role)
