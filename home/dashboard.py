"""The coordinator's dashboard: every figure one grouped query, whatever the caseload.

Managers see the same across all schemes. Each figure names the filtered list behind it, so
the page can link every number to the people it counts.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import User
from concerns.selectors import ConcernFigures, concern_figures, concern_visible_to
from flags.models import DEPENDENCY_KINDS, Flag
from flags.selectors import (
    REVIEW_DUE_DAYS,
    Health,
    flag_visible_to,
    flags_for_queue,
    relationships_with_health,
)
from mentees.models import Referral
from mentees.selectors import referral_visible_to, waiting_list
from relationships.models import MatchOffer, Relationship
from relationships.selectors import relationship_visible_to
from schemes.mentors.selectors import mentors_supervision_due, mentors_vetting_expiring
from schemes.models import Mentor, Scheme
from schemes.selectors import mentor_visible_to, scheme_visible_to, schemes_coordinated_by

QUEUE_SIZE = 8
WAITING_SHOWN = 5


@dataclass
class SchemeRow:
    scheme: Scheme
    health: dict[str, int] = field(default_factory=dict)
    waiting: int = 0
    live_flags: int = 0

    @property
    def open_relationships(self) -> int:
        return sum(self.health.values())


@dataclass
class Dashboard:
    scheme: Scheme | None  # the one scheme chosen, or None for all the user's schemes
    concerns: ConcernFigures  # open concerns head the page, above the flags
    health: dict[str, int]
    open_relationships: int
    queue: list[Flag]
    live_flags: int
    stalling_flags: int
    dependency_flags: int
    waiting: list[tuple[Referral, int]]
    waiting_count: int
    reviews_due: int
    reviews_overdue: int
    vetting_expiring: int
    supervision_due: int
    capacity_used: int
    capacity_total: int
    schemes: list[SchemeRow]
    can_act_on: frozenset[int]

    @property
    def capacity_percent(self) -> int | None:
        if not self.capacity_total:
            return None
        return round(100 * self.capacity_used / self.capacity_total)


def _in_scheme(qs: QuerySet, path: str, scheme: Scheme | None) -> QuerySet:
    return qs.filter(**{path: scheme}) if scheme is not None else qs


def dashboard_for(
    user: User, *, scheme: Scheme | None = None, today: datetime.date | None = None
) -> Dashboard:
    """The dashboard of ``user``: of the one ``scheme`` chosen, or of every scheme they see."""
    today = today or timezone.localdate()
    relationships = _in_scheme(relationship_visible_to(user), "mentee__scheme", scheme).exclude(
        status=Relationship.Status.CLOSED
    )
    health, health_by_scheme = _health_counts(relationships, today=today)
    flags = _flag_figures(user, scheme)
    waiting = _waiting_figures(user, scheme, today=today)
    reviews = _review_counts(relationships, today=today)
    mentors = _in_scheme(mentor_visible_to(user), "scheme", scheme)
    active = mentors.filter(status=Mentor.Status.ACTIVE)
    capacity_total = active.aggregate(total=Sum("capacity"))["total"] or 0
    # An offer waiting for a mentor's answer holds one of their places.
    capacity_used = (
        relationships.filter(mentor__status=Mentor.Status.ACTIVE).count()
        + MatchOffer.objects.filter(MatchOffer.awaiting_answer(), mentor__in=active).count()
    )
    rows = _scheme_rows(user, scheme, health_by_scheme, waiting.by_scheme, flags.by_scheme)
    return Dashboard(
        scheme=scheme,
        concerns=concern_figures(
            _in_scheme(concern_visible_to(user), "scheme", scheme), now=timezone.now()
        ),
        health=health,
        open_relationships=sum(health.values()),
        queue=flags.queue,
        live_flags=flags.live,
        stalling_flags=flags.live - flags.dependency,
        dependency_flags=flags.dependency,
        waiting=waiting.shown,
        waiting_count=sum(waiting.by_scheme.values()),
        reviews_due=reviews["due"],
        reviews_overdue=reviews["overdue"],
        vetting_expiring=mentors_vetting_expiring(active, today=today).count(),
        supervision_due=mentors_supervision_due(mentors, today=today).count(),
        capacity_used=capacity_used,
        capacity_total=capacity_total,
        schemes=rows,
        can_act_on=frozenset(schemes_coordinated_by(user).values_list("pk", flat=True)),
    )


def _health_counts(
    relationships: QuerySet[Relationship], *, today: datetime.date
) -> tuple[dict[str, int], dict[int, dict[str, int]]]:
    """Open relationships by health, in all and per scheme: one grouped query."""
    with_health = relationships_with_health(relationships, today=today)
    health = dict.fromkeys(Health.values, 0)
    by_scheme: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Health.values, 0))
    # "health" is annotated by relationships_with_health; the stubs cannot follow it there.
    health_rows = with_health.values("mentee__scheme_id", "health")  # type: ignore[misc]
    for row in health_rows.annotate(n=Count("pk")).order_by():
        health[row["health"]] += row["n"]
        by_scheme[row["mentee__scheme_id"]][row["health"]] += row["n"]
    return health, by_scheme


@dataclass
class _FlagFigures:
    live: int
    dependency: int
    by_scheme: dict[int, int]  # live flags per scheme
    queue: list[Flag]


def _flag_figures(user: User, scheme: Scheme | None) -> _FlagFigures:
    """The live flags: counted, counted per scheme, and the first of the open queue."""
    flags = _in_scheme(flag_visible_to(user), "scheme", scheme).filter(
        status__in=Flag.LIVE_STATUSES
    )
    counts = flags.aggregate(
        live=Count("pk"),
        dependency=Count("pk", filter=Q(kind__in=DEPENDENCY_KINDS)),
    )
    by_scheme = dict(
        flags.values("scheme_id").annotate(n=Count("pk")).values_list("scheme_id", "n").order_by()
    )
    queue = list(flags_for_queue(flags.filter(status=Flag.Status.OPEN))[:QUEUE_SIZE])
    return _FlagFigures(counts["live"], counts["dependency"], by_scheme, queue)


@dataclass
class _WaitingFigures:
    shown: list[tuple[Referral, int]]  # the longest waits, with days waited
    by_scheme: dict[int, int]  # people awaiting a match per scheme


def _waiting_figures(user: User, scheme: Scheme | None, *, today: datetime.date) -> _WaitingFigures:
    """Who waits for a match: the longest waits shown, and a count per scheme."""
    referrals = _in_scheme(referral_visible_to(user), "mentee__scheme", scheme)
    waiting_qs = waiting_list(referrals, today=today)
    shown = [(r, (today - r.status_changed_on).days) for r in waiting_qs[:WAITING_SHOWN]]
    by_scheme = dict(
        referrals.filter(status=Referral.Status.AWAITING_MATCH)
        .values("mentee__scheme_id")
        .annotate(n=Count("pk"))
        .values_list("mentee__scheme_id", "n")
        .order_by()
    )
    return _WaitingFigures(shown, by_scheme)


def _review_counts(
    relationships: QuerySet[Relationship], *, today: datetime.date
) -> dict[str, int]:
    """Reviews due soon (``due``) and already late (``overdue``); paused relationships wait."""
    return relationships.exclude(status=Relationship.Status.PAUSED).aggregate(
        due=Count(
            "pk",
            filter=Q(next_review_on__lte=today + datetime.timedelta(days=REVIEW_DUE_DAYS)),
        ),
        overdue=Count("pk", filter=Q(next_review_on__lt=today)),
    )


def _scheme_rows(
    user: User,
    scheme: Scheme | None,
    health_by_scheme: dict[int, dict[str, int]],
    waiting_by_scheme: dict[int, int],
    flags_by_scheme: dict[int, int],
) -> list[SchemeRow]:
    """One row per scheme shown, by name, with its figures."""
    schemes = scheme_visible_to(user)
    if scheme is not None:
        schemes = schemes.filter(pk=scheme.pk)
    return [
        SchemeRow(
            scheme=s,
            health=health_by_scheme.get(s.pk, dict.fromkeys(Health.values, 0)),
            waiting=waiting_by_scheme.get(s.pk, 0),
            live_flags=flags_by_scheme.get(s.pk, 0),
        )
        for s in schemes.order_by("name")
    ]
