"""The permission matrix for offers of a match: the coordinators' list, one offer's page, and
accepting, declining and withdrawing, for every role, with a valid POST for every write a
role may make. See core/tests/matrix.py.

mentor_a is the mentor offered mentee_a_unmatched (scheme A); the same person offered to
another mentor of scheme A is out of mentor_a's sight (404)."""

from typing import Any

import pytest

from accounts.models import User
from conftest import World
from core.tests.matrix import LOGIN, Redirect, Row, Write, cases, row, run_case, valid
from mentees.models import Referral
from mentees.tests.factories import ConsentFactory
from relationships.matching.offer_services import offer_make, offer_withdraw
from relationships.models import MatchOffer, Relationship
from schemes.models import Mentor


def _offer_to(world: World, mentor: Mentor) -> MatchOffer:
    """mentee_a_unmatched, consented and waiting, offered to ``mentor`` by coordinator A.
    Safe to prepare again in the same world (the accessibility walk prepares every row of
    a batch before it opens their pages): an offer to another mentor is withdrawn first."""
    mentee = world.mentee_a_unmatched
    pending = MatchOffer.objects.filter(mentee=mentee, status=MatchOffer.Status.PENDING).first()
    if pending is not None and pending.mentor_id == mentor.pk:
        return pending
    if pending is not None:
        offer_withdraw(by=world.coordinator_a, offer=pending)
    if not mentee.consents.exists():
        ConsentFactory(mentee=mentee, explained_by=world.coordinator_a)
    Referral.objects.filter(pk=world.referral_a.pk).update(status=Referral.Status.AWAITING_MATCH)
    return offer_make(
        by=world.coordinator_a, mentee=mentee, mentor=mentor, first_meeting="face_to_face"
    )


def _own(world: World) -> MatchOffer:
    return _offer_to(world, world.mentor_file_a)


def _other(world: World) -> MatchOffer:
    return _offer_to(world, world.relationship_a_other.mentor)


def _the_offer(world: World) -> MatchOffer:
    """The latest offer of mentee_a_unmatched."""
    return MatchOffer.objects.filter(mentee=world.mentee_a_unmatched).latest("pk")


def _pk(world: World) -> dict[str, Any]:
    return {"pk": _the_offer(world).pk}


def _status(expected: str):
    def done(world: World, user: User | None, client) -> None:
        offer = _the_offer(world)
        assert (offer.status, offer.answered_by_id) == (expected, user.pk)
        if expected == MatchOffer.Status.ACCEPTED:
            assert offer.relationship is not None
            assert offer.relationship.mentor_id == offer.mentor_id
        else:
            assert not Relationship.objects.filter(mentee=world.mentee_a_unmatched).exists()
            referral = Referral.objects.get(pk=world.referral_a.pk)
            assert referral.status == Referral.Status.AWAITING_MATCH

    return done


def _new_relationship(world: World) -> dict[str, Any]:
    return {"pk": Relationship.objects.get(mentee=world.mentee_a_unmatched).pk}


def _suggestions(world: World) -> dict[str, Any]:
    return {"mentee_pk": world.mentee_a_unmatched.pk}


DECLINE = {"decline_reason": "no_capacity", "decline_note": ""}


def offer_rows() -> list[Row]:
    """The list is for staff; an offer is seen by its mentor, its scheme's coordinators and
    managers; its mentor or a coordinator answers it (a coordinator records the mentor's
    answer); only a coordinator withdraws it. Managers read and never write."""
    own = {"prepare": _own, "kwargs": _pk}
    other = {"prepare": _other, "kwargs": _pk}
    missing = {"kwargs": lambda w: {"pk": 999_999}}
    to_detail = Redirect("relationships:offer_detail", _pk)
    to_match = Redirect("relationships:detail", _new_relationship)
    to_suggestions = Redirect("relationships:match_suggestions", _suggestions)
    accept = Write(audit=("offer.accepted", "relationship.created"), done=_status("accepted"))
    decline = Write(audit=("offer.declined",), data=lambda w, u: DECLINE, done=_status("declined"))
    withdraw = Write(audit=("offer.withdrawn",), done=_status("withdrawn"))
    return [
        #                                             anon   mentor coord A coord B manager
        row("relationships:offer_list", "", [LOGIN, 403, 200, 200, 200]),
        row("relationships:offer_list", "with one", [LOGIN, 403, 200, 200, 200], prepare=_own),
        row("relationships:offer_detail", "own", [LOGIN, 200, 200, 404, 200], **own),
        row("relationships:offer_detail", "another's", [LOGIN, 404, 200, 404, 200], **other),
        row("relationships:offer_detail", "missing", [LOGIN, 404, 404, 404, 404], **missing),
        row(
            "relationships:offer_accept",
            "own",
            [LOGIN, to_detail, to_detail, 404, 403],
            **own,
        ),
        valid(
            "relationships:offer_accept",
            "own",
            [LOGIN, to_match, to_match, 404, 403],
            accept,
            **own,
        ),
        valid(
            "relationships:offer_accept",
            "another's",
            [LOGIN, 404, to_match, 404, 403],
            accept,
            **other,
        ),
        row("relationships:offer_accept", "missing", [LOGIN, 404, 404, 404, 404], **missing),
        row("relationships:offer_decline", "own", [LOGIN, 200, 200, 404, 403], **own),
        row(
            "relationships:offer_decline",
            "own, POST",
            [LOGIN, 200, 200, 404, 403],
            method="post",
            **own,
        ),
        valid(
            "relationships:offer_decline",
            "own",
            [LOGIN, Redirect("relationships:my_mentees"), to_suggestions, 404, 403],
            decline,
            **own,
        ),
        valid(
            "relationships:offer_decline",
            "another's",
            [LOGIN, 404, to_suggestions, 404, 403],
            decline,
            **other,
        ),
        row("relationships:offer_decline", "missing", [LOGIN, 404, 404, 404, 404], **missing),
        row("relationships:offer_withdraw", "own", [LOGIN, 403, 200, 404, 403], **own),
        valid(
            "relationships:offer_withdraw",
            "own",
            [LOGIN, 403, to_suggestions, 404, 403],
            withdraw,
            **own,
        ),
        row("relationships:offer_withdraw", "missing", [LOGIN, 403, 404, 404, 404], **missing),
    ]


ROWS: list[Row] = offer_rows()


@pytest.mark.parametrize(**cases(ROWS))
def test_permission_matrix(shared_world: World, matrix_row: Row, role: str):
    run_case(shared_world, matrix_row, role)
