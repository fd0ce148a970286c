"""The permission matrix for matching (suggestions, match, un-match, re-match) and meetings:
every role, with a valid POST for every write a role may make. See core/tests/matrix.py."""

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
    row,
    run_case,
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
    MatchOffer,
    Meeting,
    Party,
    Relationship,
)

# --- Matching ----------------------------------------------------------------------------------


def _waiting(world: World):
    """mentee_a_unmatched, consented and waiting for a match."""
    mentee = world.mentee_a_unmatched
    ConsentFactory(mentee=mentee, explained_by=world.coordinator_a)
    Referral.objects.filter(pk=world.referral_a.pk).update(status=Referral.Status.AWAITING_MATCH)
    return mentee


def _new_offer(world: World) -> MatchOffer:
    return MatchOffer.objects.get(mentee=world.mentee_a_unmatched)


def _offered(world: World, user: User | None, client) -> None:
    """Matching sends an offer: the person still waits, and no relationship exists yet (it
    does once the offer is accepted: core/tests/test_permission_matrix_offers.py)."""
    offer = _new_offer(world)
    assert offer.mentor_id == world.relationship_a_other.mentor_id
    assert (offer.status, offer.offered_by_id) == (MatchOffer.Status.PENDING, user.pk)
    assert Referral.objects.get(pk=world.referral_a.pk).status == Referral.Status.AWAITING_MATCH
    assert not Relationship.objects.filter(mentee=world.mentee_a_unmatched).exists()


def _unmatched(world: World, user: User | None, client) -> None:
    relationship = fresh(world.relationship_a)
    assert (relationship.status, relationship.closure_reason) == (S.CLOSED, "mentor_left")
    assert world.mentee_a.referrals.get().status == Referral.Status.AWAITING_MATCH


def _rematched(world: World, user: User | None, client) -> None:
    assert fresh(world.relationship_a).closure_reason == Relationship.ClosureReason.REMATCHED


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
                Redirect("relationships:offer_detail", lambda w: {"pk": _new_offer(w).pk}),
                404,
                403,
            ],
            Write(
                audit=("offer.made",),
                data=lambda w, u: {"first_meeting": "face_to_face", "note": "Library, Tuesday."},
                done=_offered,
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


def meeting_rows() -> list[Row]:
    """Meetings. The relationship's mentor and the scheme's coordinators log meetings
    (another mentor's relationship is a 404); managers read but never log."""
    of_own = {"kwargs": lambda w: {"pk": w.relationship_a.pk}}
    of_other = {"kwargs": lambda w: {"pk": w.relationship_a_other.pk}}
    missing = {"kwargs": lambda w: {"pk": 999_999}}
    at_own, at_other = detail(own), detail(other)
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
    *matching_rows(),
    *meeting_rows(),
]


@pytest.mark.parametrize(**cases(ROWS))
def test_permission_matrix(shared_world: World, matrix_row: Row, role: str):
    run_case(shared_world, matrix_row, role)
