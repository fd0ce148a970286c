"""Reads of planned meetings: who may open which. A plan is seen by whoever may open its
relationship (its mentor while it is open, the scheme's coordinators, managers)."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from relationships.models import PlannedMeeting
from relationships.selectors import can_write_relationship, relationship_visible_to


def plans_visible_to(user: User | AnonymousUser) -> QuerySet[PlannedMeeting]:
    """Planned meetings ``user`` may read: those of the relationships they may open."""
    return PlannedMeeting.objects.filter(relationship__in=relationship_visible_to(user))


def plan_for_write(user: User, pk: int) -> PlannedMeeting:
    """The planned meeting ``pk``, for moving, cancelling or answering it: 404 unless
    ``user`` may open its relationship (as for a missing one), 403 unless they may log its
    meetings (its mentor, or the scheme's coordinators; managers only read)."""
    plan = get_object_or_404(
        plans_visible_to(user).select_related(
            "relationship__mentee__scheme", "relationship__mentor__user"
        ),
        pk=pk,
    )
    if not can_write_relationship(user, plan.relationship, mentor_may_write=True):
        raise PermissionDenied
    return plan
