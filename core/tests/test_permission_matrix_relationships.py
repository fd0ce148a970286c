"""The permission matrix for relationships: the pages, the goal plan, reviews and the
relationship's life, matching, meetings and flags. The mentor sees their own relationship
(another mentor's is a 404), coordinators their schemes', managers every one, read-only.
Each write is also sent valid, by every role that may make it. See ``core/tests/matrix.py``.
"""

import datetime
import uuid
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
    day,
    row,
    run_case,
    today,
    valid,
)
from flags.models import Action, Flag, Kind, Severity
from mentees.models import Referral
from mentees.tests.factories import ConsentFactory
from relationships.models import (
    Goal,
    GoalScore,
    Meeting,
    Party,
    Pause,
    Relationship,
    RelationshipChange,
    Review,
    Step,
)
from relationships.tests.factories import GoalFactory, StepFactory

S = Relationship.Status
PickRelationship = Callable[[World], Relationship]


def _fresh(relationship: Relationship) -> Relationship:
    return Relationship.objects.get(pk=relationship.pk)


def _detail(pick: PickRelationship, anchor: str | Callable[[World], str] = "") -> Redirect:
    return Redirect("relationships:detail", lambda w: {"pk": pick(w).pk}, anchor)


def own(w: World) -> Relationship:
    return w.relationship_a


def other(w: World) -> Relationship:
    return w.relationship_a_other


def relationship_rows() -> list[Row]:
    of_own = {"kwargs": lambda w: {"pk": w.relationship_a.pk}}
    of_other = {"kwargs": lambda w: {"pk": w.relationship_a_other.pk}}
    return [
        row("relationships:my_mentees", "", [LOGIN, 200, 403, 403, 403]),
        row("relationships:list", "", [LOGIN, 403, 200, 200, 200]),
        row("relationships:detail", "own", [LOGIN, 200, 200, 404, 200], **of_own),
        row("relationships:detail", "another mentor's", [LOGIN, 404, 200, 404, 200], **of_other),
    ]


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
                data=lambda w, u: {"action": Action.TALKED_WITH_MENTOR, "note": "Rang them."},
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
                data=lambda w, u: {"note": "They met on Friday."},
                done=_flag_is(Flag.Status.RESOLVED),
            ),
            **a,
        ),
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
        relationship = _fresh(pick(world))
        assert relationship.status == status
        assert relationship.changes.filter(to_status=status, by=user).exists()

    return done


def _reviewed(pick: PickRelationship) -> Callable[[World, User | None, Any], None]:
    def done(world: World, user: User | None, client) -> None:
        review = Review.objects.get(relationship=pick(world), recorded_by=user)
        assert [s.score for s in GoalScore.objects.filter(review=review)] == [6]
        assert _fresh(pick(world)).next_review_on > today()

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
    to_own, to_other = _detail(own, "#goals"), _detail(other, "#goals")
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
            [LOGIN, to_own, to_own, 404, 403],
            method="post",
            write=STEP_DONE,
            **own_step,
        ),
        row(
            "relationships:step_done",
            "another mentor's",
            [LOGIN, 404, to_other, 404, 403],
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
        anchor = "#reviews" if name == "relationships:review_add" else ""
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
                    _detail(own, anchor),
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
                [LOGIN, 404, _detail(other, anchor), 404, 403],
                other_life[name],
                kwargs=lambda w, prepare=prepare: {"pk": prepare(w, other).pk},
            ),
        ]
    return rows


# --- Matching ----------------------------------------------------------------------------------


def _waiting(world: World):
    """mentee_a_unmatched, consented and waiting for a match."""
    mentee = world.mentee_a_unmatched
    ConsentFactory(mentee=mentee, explained_by=world.coordinator_a)
    Referral.objects.filter(pk=world.referral_a.pk).update(status=Referral.Status.AWAITING_MATCH)
    return mentee


def _new_match(world: World) -> Relationship:
    return Relationship.objects.get(mentee=world.mentee_a_unmatched)


def _matched(world: World, user: User | None, client) -> None:
    relationship = _new_match(world)
    assert relationship.mentor_id == world.relationship_a_other.mentor_id
    assert (relationship.status, relationship.matched_by_id) == (S.INTRODUCED, user.pk)
    assert Referral.objects.get(pk=world.referral_a.pk).status == Referral.Status.MATCHED


def _unmatched(world: World, user: User | None, client) -> None:
    relationship = _fresh(world.relationship_a)
    assert (relationship.status, relationship.closure_reason) == (S.CLOSED, "mentor_left")
    assert world.mentee_a.referrals.get().status == Referral.Status.AWAITING_MATCH


def _rematched(world: World, user: User | None, client) -> None:
    assert _fresh(world.relationship_a).closure_reason == Relationship.ClosureReason.REMATCHED


def matching_rows() -> list[Row]:
    """Matching: staff pages (mentors 403). Suggestions are read by the scheme's coordinators
    and managers; matching and un-matching are writes for the scheme's coordinators alone
    (managers 403); another scheme's mentee, mentor or relationship is a 404."""
    unmatched_a = {"kwargs": lambda w: {"mentee_pk": w.mentee_a_unmatched.pk}}
    confirm_a = {
        "kwargs": lambda w: {
            "mentee_pk": w.mentee_a_unmatched.pk,
            "mentor_pk": w.relationship_a_other.mentor.pk,
        }
    }
    confirm_b_mentor = {
        "kwargs": lambda w: {
            "mentee_pk": w.mentee_a_unmatched.pk,
            "mentor_pk": w.mentor_file_b.pk,
        }
    }
    of_own = {"kwargs": lambda w: {"pk": w.relationship_a.pk}}
    return [
        # expectations: anon, mentor, coordinator A, coordinator B, manager
        row(
            "relationships:match_suggestions",
            "scheme A",
            [LOGIN, 403, 200, 404, 200],
            **unmatched_a,
        ),
        row(
            "relationships:match_suggestions",
            "scheme B",
            [LOGIN, 403, 404, 200, 200],
            kwargs=lambda w: {"mentee_pk": w.mentee_b.pk},
        ),
        row(
            "relationships:match_suggestions",
            "no such mentee",
            [LOGIN, 403, 404, 404, 404],
            kwargs=lambda w: {"mentee_pk": 999_999},
        ),
        row("relationships:match_confirm", "scheme A", [LOGIN, 403, 200, 404, 403], **confirm_a),
        row(
            "relationships:match_confirm",
            "scheme A, POST",
            [LOGIN, 403, 200, 404, 403],
            method="post",
            **confirm_a,
        ),
        valid(
            "relationships:match_confirm",
            "scheme A, waiting",
            [
                LOGIN,
                403,
                Redirect("relationships:detail", lambda w: {"pk": _new_match(w).pk}),
                404,
                403,
            ],
            Write(
                audit=("relationship.created", "referral.moved"),
                data=lambda w, u: {"first_meeting": "face_to_face", "note": "Library, Tuesday."},
                done=_matched,
            ),
            kwargs=lambda w: {
                "mentee_pk": _waiting(w).pk,
                "mentor_pk": w.relationship_a_other.mentor.pk,
            },
        ),
        row(
            "relationships:match_confirm",
            "another scheme's mentor",
            [LOGIN, 403, 404, 404, 403],
            **confirm_b_mentor,
        ),
        row("relationships:unmatch", "scheme A", [LOGIN, 403, 200, 404, 403], **of_own),
        row(
            "relationships:unmatch",
            "scheme A, POST",
            [LOGIN, 403, 200, 404, 403],
            method="post",
            **of_own,
        ),
        valid(
            "relationships:unmatch",
            "scheme A, mentor left",
            [LOGIN, 403, Redirect("mentees:detail", lambda w: {"pk": w.mentee_a.pk}), 404, 403],
            Write(
                audit=("relationship.unmatched", "referral.moved"),
                data=lambda w, u: {"reason": "mentor_left", "note": ""},
                done=_unmatched,
            ),
            **of_own,
        ),
        valid(
            "relationships:unmatch",
            "scheme A, to re-match",
            [
                LOGIN,
                403,
                Redirect("relationships:match_suggestions", lambda w: {"mentee_pk": w.mentee_a.pk}),
                404,
                403,
            ],
            Write(
                audit=("relationship.unmatched", "referral.moved"),
                data=lambda w, u: {"reason": "rematched", "note": ""},
                done=_rematched,
            ),
            **of_own,
        ),
        row(
            "relationships:unmatch",
            "no such relationship",
            [LOGIN, 403, 404, 404, 404],
            kwargs=lambda w: {"pk": 999_999},
        ),
    ]


# --- Meetings ----------------------------------------------------------------------------------


def _meeting_body(world: World, user: User | None) -> dict[str, Any]:
    held = timezone.localtime() - datetime.timedelta(hours=1)
    return {
        "client_id": str(uuid.uuid4()),
        "held_at": held.strftime("%Y-%m-%dT%H:%M"),
        "outcome": Meeting.Outcome.MET,
        "mode": Meeting.Mode.FACE_TO_FACE,
        "duration": "60",
        "initiated_by": Party.MENTEE,
        "purpose": Meeting.Purpose.GOALS,
        "note_shared": "Talked about work.",
    }


def _logged(pick: PickRelationship) -> Callable[[World, User | None, Any], None]:
    def done(world: World, user: User | None, client) -> None:
        meeting = Meeting.objects.get(relationship=pick(world), logged_by=user)
        assert (meeting.duration_minutes, meeting.note_shared) == (60, "Talked about work.")

    return done


def _at_meeting(world: World) -> str:
    return f"#meeting-{Meeting.objects.latest('pk').pk}"


def meeting_rows() -> list[Row]:
    """Meetings. The relationship's mentor and the scheme's coordinators log meetings
    (another mentor's relationship is a 404); managers read but never log."""
    of_own = {"kwargs": lambda w: {"pk": w.relationship_a.pk}}
    of_other = {"kwargs": lambda w: {"pk": w.relationship_a_other.pk}}
    missing = {"kwargs": lambda w: {"pk": 999_999}}
    at_own, at_other = _detail(own, _at_meeting), _detail(other, _at_meeting)
    log_own = Write(audit=("meeting.logged",), data=_meeting_body, done=_logged(own))
    log_other = Write(audit=("meeting.logged",), data=_meeting_body, done=_logged(other))
    return [
        #                                                  anon    mentor  coord A coord B manager
        row("relationships:meeting_new", "own", [LOGIN, 200, 200, 404, 403], **of_own),
        row(
            "relationships:meeting_new",
            "own, POST",
            [LOGIN, 200, 200, 404, 403],
            method="post",
            **of_own,
        ),
        valid(
            "relationships:meeting_new",
            "own",
            [LOGIN, at_own, at_own, 404, 403],
            log_own,
            **of_own,
        ),
        row(
            "relationships:meeting_new", "another mentor's", [LOGIN, 404, 200, 404, 403], **of_other
        ),
        row(
            "relationships:meeting_new",
            "another mentor's, POST",
            [LOGIN, 404, 200, 404, 403],
            method="post",
            **of_other,
        ),
        valid(
            "relationships:meeting_new",
            "another mentor's",
            [LOGIN, 404, at_other, 404, 403],
            log_other,
            **of_other,
        ),
        row("relationships:meeting_new", "missing", [LOGIN, 404, 404, 404, 404], **missing),
        row("relationships:meetings", "own", [LOGIN, 200, 200, 404, 200], **of_own),
        row("relationships:meetings", "another mentor's", [LOGIN, 404, 200, 404, 200], **of_other),
    ]


ROWS: list[Row] = [
    *relationship_rows(),
    *flag_rows(),
    *plan_rows(),
    *matching_rows(),
    *meeting_rows(),
]


@pytest.mark.parametrize(**cases(ROWS))
def test_permission_matrix(shared_world: World, matrix_row: Row, role: str):
    run_case(shared_world, matrix_row, role)
