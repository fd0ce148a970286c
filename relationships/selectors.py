"""Reads of relationships: who may open which, and everything one relationship's page shows."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.permissions import can_write_case
from accounts.selectors import user_roles
from mentees.models import Referral
from relationships.models import Goal, GoalScore, MatchOffer, Meeting, Relationship, Review


def relationship_visible_to(user: User | AnonymousUser) -> QuerySet[Relationship]:
    """Relationships ``user`` may open: all for managers, their schemes' for coordinators,
    and a mentor's own open relationships in schemes where they still hold the mentor role."""
    roles = user_roles(user)
    if roles.is_manager:
        return Relationship.objects.all()
    scope = Q(mentee__scheme_id__in=roles.coordinator_scheme_ids)
    if roles.is_mentor:
        scope |= Q(mentor__user=user, mentor__scheme_id__in=roles.mentor_scheme_ids) & ~Q(
            status=Relationship.Status.CLOSED
        )
    return Relationship.objects.filter(scope)


def relationships_for_list(relationships: QuerySet[Relationship]) -> QuerySet[Relationship]:
    """The one place a relationship list is given its related rows."""
    return relationships.select_related("mentee", "mentor", "mentee__scheme")


def is_relationship_mentor(user: User | AnonymousUser, relationship: Relationship) -> bool:
    """Is ``user`` the mentor in this relationship? Only they read its private notes."""
    return bool(user.is_authenticated and relationship.mentor.user_id == user.pk)


def can_write_relationship(
    user: User | AnonymousUser, relationship: Relationship, *, mentor_may_write: bool = False
) -> bool:
    """Coordinators of the scheme run the relationship (reviews, pauses, closure, un-matching:
    ``can_write_case``); managers read it. Where ``mentor_may_write`` (meetings, goals and
    steps), the relationship's own mentor writes too; they see it only while it is open."""
    return can_write_case(user, relationship.mentee.scheme_id) or (
        mentor_may_write and is_relationship_mentor(user, relationship)
    )


def relationship_for_write(user: User, pk: int, *, mentor_may_write: bool = False) -> Relationship:
    """The relationship ``pk``, for writing to it: 404 unless ``user`` may open it (as for a
    missing one), 403 unless ``can_write_relationship``: its scheme's coordinators, or its
    mentor too where ``mentor_may_write`` (meetings, goals and steps)."""
    relationship = get_object_or_404(
        relationship_visible_to(user).select_related("mentee__scheme", "mentor__user"), pk=pk
    )
    if not can_write_relationship(user, relationship, mentor_may_write=mentor_may_write):
        raise PermissionDenied
    return relationship


def meetings_visible_to(
    user: User | AnonymousUser, relationship: Relationship
) -> QuerySet[Meeting]:
    """A relationship's meetings as ``user`` may read them. Private notes are never even
    loaded for anyone but the relationship's mentor."""
    meetings = relationship.meetings.all()
    if not is_relationship_mentor(user, relationship):
        meetings = meetings.defer("note_private")
    return meetings


def relationship_for_detail(relationships: QuerySet[Relationship]) -> QuerySet[Relationship]:
    """Everything the relationship page shows about the relationship itself, in a fixed
    number of queries however long its history."""
    return relationships.select_related(
        "mentee", "mentee__scheme", "mentor", "mentor__user", "matched_by"
    ).prefetch_related(
        Prefetch("goals", queryset=Goal.objects.prefetch_related("steps")),
        Prefetch(
            "reviews",
            queryset=Review.objects.select_related("recorded_by").prefetch_related(
                Prefetch("scores", queryset=GoalScore.objects.select_related("goal"))
            ),
        ),
        "pauses",
        "changes__by",
    )


def offer_pending_for(referral: Referral | None) -> MatchOffer | None:
    """The offer of ``referral``'s person waiting for a mentor's answer, if any: the person's
    page says so (the caller has already scoped the referral)."""
    if referral is None:
        return None
    return (
        MatchOffer.objects.filter(MatchOffer.awaiting_answer(), referral=referral)
        .select_related("mentor")
        .first()
    )
