"""Reads of concerns: who may see which, the list's filters and the dashboard's figures.

Concerns are for staff: coordinators see their schemes', managers every scheme's (an
escalated concern is theirs to chase). The mentor who raised one sees only its dates, on the
meeting in their timeline (``relationships`` loads it with the meeting), never this page.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.selectors import user_roles
from concerns.models import Concern

#: Waiting, then acknowledged, then closed.
STAGE = Case(
    When(status=Concern.Status.RECEIVED, then=Value(0)),
    When(status=Concern.Status.ACKNOWLEDGED, then=Value(1)),
    default=Value(2),
)
#: The dashboard lists this many open concerns, the overdue and oldest first.
DASHBOARD_SHOWN = 5


def concern_visible_to(user: User | AnonymousUser) -> QuerySet[Concern]:
    roles = user_roles(user)
    if roles.is_manager:
        return Concern.objects.all()
    return Concern.objects.filter(scheme_id__in=roles.coordinator_scheme_ids)


def concern_for_write(user: User | AnonymousUser, pk: int) -> Concern:
    """A concern ``user`` may act on: 404 outside their scope, as for one that does not exist.
    Everyone who sees a concern may act on it: its scheme's coordinators, and the managers it
    is escalated to."""
    return get_object_or_404(concerns_for_list(concern_visible_to(user)), pk=pk)


def concerns_for_list(concerns: QuerySet[Concern]) -> QuerySet[Concern]:
    """What a list row or the page shows, in the same query."""
    return concerns.select_related(
        "scheme",
        "mentee",
        "raised_by",
        "acknowledged_by",
        "closed_by",
        "relationship__mentor",
        "meeting",
    )


def concerns_overdue(concerns: QuerySet[Concern], *, now: datetime.datetime) -> QuerySet[Concern]:
    """Received and past the time to acknowledge them (one carried over from before concerns
    could be acknowledged never had a time to miss)."""
    return concerns.filter(status=Concern.Status.RECEIVED, due_at__lt=now, carried_over=False)


def concerns_open_first(concerns: QuerySet[Concern]) -> QuerySet[Concern]:
    """Open concerns in the order to work through them (``concerns_in_order``)."""
    return concerns_in_order(concerns.filter(status__in=Concern.OPEN_STATUSES))


def concerns_in_order(concerns: QuerySet[Concern]) -> QuerySet[Concern]:
    """Waiting before acknowledged before closed; then the earliest due, so one already late
    comes before a new urgent one (an urgent concern is due within hours, so it comes before
    routine ones raised at the same time). Concerns carried over from before Tandem tracked
    them come after the timed ones of their stage: their long-past time means nothing, and
    they must not push a new concern off the dashboard."""
    return concerns.alias(stage=STAGE).order_by("stage", "carried_over", "due_at", "pk")


@dataclass
class ConcernFigures:
    open: int
    waiting: int  # received, not yet acknowledged
    overdue: int
    shown: list[Concern]


def concern_figures(concerns: QuerySet[Concern], *, now: datetime.datetime) -> ConcernFigures:
    """Open concerns counted (one query) and the first few listed (one more)."""
    counts = concerns.aggregate(
        open=Count("pk", filter=Q(status__in=Concern.OPEN_STATUSES)),
        waiting=Count("pk", filter=Q(status=Concern.Status.RECEIVED)),
        overdue=Count(
            "pk",
            filter=Q(status=Concern.Status.RECEIVED, due_at__lt=now, carried_over=False),
        ),
    )
    shown = list(concerns_for_list(concerns_open_first(concerns))[:DASHBOARD_SHOWN])
    return ConcernFigures(counts["open"], counts["waiting"], counts["overdue"], shown)
