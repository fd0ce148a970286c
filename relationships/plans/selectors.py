"""Reads for the goal plan, reviews and the relationship's life: who may write what, and the
numbers the page shows. Goals and steps are reached only through the relationships the user
may open, so another mentor's step is a 404 like a missing one."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from mentees.models import NeedDomain
from relationships.models import Goal, Meeting, Relationship, Step
from relationships.plans.progress import (
    CapPart,
    Chart,
    ScoreRow,
    cap_progress,
    domain_chart,
    review_overdue_days,
)
from relationships.selectors import can_write_relationship, relationship_visible_to


def goal_visible_to(user: User | AnonymousUser) -> QuerySet[Goal]:
    return Goal.objects.filter(relationship__in=relationship_visible_to(user)).select_related(
        "relationship__mentee__scheme", "relationship__mentor"
    )


def step_visible_to(user: User | AnonymousUser) -> QuerySet[Step]:
    return Step.objects.filter(goal__relationship__in=relationship_visible_to(user)).select_related(
        "goal__relationship__mentee__scheme", "goal__relationship__mentor"
    )


def may_edit_plan(user: User | AnonymousUser, relationship: Relationship) -> bool:
    """Goals and steps: the relationship's own mentor (who sees it only while it is open)
    or a coordinator of the scheme. Managers read only."""
    return can_write_relationship(user, relationship, mentor_may_write=True)


def goal_for_write(user: User, pk: int) -> Goal:
    """The goal ``pk``, for changing it or adding steps: 404 unless ``user`` may open its
    relationship, 403 unless ``may_edit_plan`` (its mentor or a coordinator of the scheme)."""
    goal = get_object_or_404(goal_visible_to(user), pk=pk)
    if not may_edit_plan(user, goal.relationship):
        raise PermissionDenied
    return goal


def step_for_write(user: User, pk: int) -> Step:
    """The step ``pk``, for changing it or marking it done: 404 unless ``user`` may open its
    relationship, 403 unless ``may_edit_plan``."""
    step = get_object_or_404(step_visible_to(user), pk=pk)
    if not may_edit_plan(user, step.goal.relationship):
        raise PermissionDenied
    return step


def relationship_cap(relationship: Relationship) -> list[CapPart]:
    """The scheme's cap as the page shows it; one count query when the scheme has a
    meetings cap, none otherwise."""
    scheme = relationship.mentee.scheme
    if scheme.cap_meetings is None and scheme.cap_weeks is None:
        return []
    held = 0
    if scheme.cap_meetings is not None:
        held = relationship.meetings.filter(outcome=Meeting.Outcome.MET).count()
    return cap_progress(
        cap_meetings=scheme.cap_meetings,
        cap_weeks=scheme.cap_weeks,
        meetings_held=held,
        matched_on=relationship.matched_on,
        on=relationship.closed_on or timezone.localdate(),
    )


def relationship_review_overdue(relationship: Relationship) -> int | None:
    return review_overdue_days(
        next_review_on=relationship.next_review_on,
        is_open=relationship.is_open,
        is_paused=relationship.status == Relationship.Status.PAUSED,
        on=timezone.localdate(),
    )


def relationship_chart(relationship: Relationship) -> Chart | None:
    """Each domain's score over time, from the reviews and scores ``relationship_for_detail``
    already prefetched (no query of its own)."""
    rows = [
        ScoreRow(review.pk, review.held_on, score.domain, score.score)
        for review in relationship.reviews.all()
        for score in review.scores.all()
    ]
    return domain_chart(rows, dict(NeedDomain.choices))
