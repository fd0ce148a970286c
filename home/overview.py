"""The manager's overview: every scheme on one page, each figure one grouped query.

For each scheme: open relationships by health (as the dashboard counts them), live flags,
people waiting for a match and the longest wait, and progress against the scheme's numeric
targets for the period running today. Each figure is one query grouped by scheme, whatever
the number of schemes; rows are put together and sorted in Python (a few dozen schemes).

Progress against a target counts the funder report's cohort (``reports.cohort``, the same
rules as ``docs/reports.md``) for the target's own period, in SQL rather than pandas, so the
page reads a few numbers rather than every meeting: everyone referred to the scheme in the
period, and of them those consented, matched, met, met face to face, three and five times,
and ended as planned, counted up to today.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Exists,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models import Count as CountRows
from django.utils import timezone

from accounts.models import User
from flags.models import Flag
from flags.selectors import Health, flag_visible_to, relationships_with_health
from mentees.models import Consent, Mentee, Referral
from relationships.models import Meeting, Relationship
from schemes.models import FunnelStage, Scheme, Target
from schemes.selectors import scheme_visible_to


@dataclass(frozen=True)
class TargetProgress:
    """One target of the running period: the actual beside the target, and whether the
    scheme is where it should be by now (pro rata over the period)."""

    stage: str
    label: str
    actual: int
    number: int
    starts_on: datetime.date
    ends_on: datetime.date
    today: datetime.date

    @property
    def percent(self) -> int:
        return round(100 * self.actual / self.number) if self.number else 100

    @property
    def expected_by_now(self) -> float:
        """The share of the target due by today, were it reached evenly over the period."""
        days = (self.ends_on - self.starts_on).days + 1
        elapsed = min(days, (self.today - self.starts_on).days + 1)
        return self.number * elapsed / days

    @property
    def status(self) -> str:
        if self.actual >= self.number:
            return "met"
        return "on track" if self.actual >= self.expected_by_now else "behind"

    @property
    def words(self) -> str:
        return f"{self.actual} of {self.number} ({self.percent}%)"


@dataclass
class SchemeOverview:
    scheme: Scheme
    health: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Health.values, 0))
    live_flags: int = 0
    waiting: int = 0
    longest_wait_days: int | None = None
    targets: list[TargetProgress] = field(default_factory=list)

    @property
    def open_relationships(self) -> int:
        return sum(self.health.values())

    @property
    def health_cells(self) -> list[tuple[str, int]]:
        """(health, count) in the order of ``Health``, for the table's columns."""
        return [(health, self.health[health]) for health in Health.values]

    @property
    def targets_behind(self) -> int:
        return sum(1 for t in self.targets if t.status == "behind")

    @property
    def lowest_target_percent(self) -> int | None:
        return min((t.percent for t in self.targets), default=None)


#: The columns a manager may sort by (``?sort=key``, ``?sort=-key`` for descending), each
#: with the value it sorts on. Empty figures (no one waiting, no target) sort last.
SORTS: dict[str, Callable[[SchemeOverview], object]] = {
    "scheme": lambda r: r.scheme.name.casefold(),
    "open": lambda r: r.open_relationships,
    **{health: (lambda h: lambda r: r.health[h])(health) for health in Health.values},
    "flags": lambda r: r.live_flags,
    "waiting": lambda r: r.waiting,
    "longest_wait": lambda r: r.longest_wait_days,
    # Most targets behind first when descending; ties by the furthest behind.
    "targets": lambda r: (r.targets_behind, -(r.lowest_target_percent or 0)) if r.targets else None,
}
DEFAULT_SORT = "scheme"


def overview_for(
    user: User, *, sort: str = DEFAULT_SORT, today: datetime.date | None = None
) -> list[SchemeOverview]:
    """One row per scheme ``user`` may see, sorted by ``sort`` (an unknown key: by name)."""
    today = today or timezone.localdate()
    schemes = scheme_visible_to(user)
    rows = {s.pk: SchemeOverview(scheme=s) for s in schemes.order_by("name")}
    for scheme_id, health, n in _health_counts(schemes, today=today):
        rows[scheme_id].health[health] = n
    for scheme_id, n in _live_flag_counts(user, schemes):
        rows[scheme_id].live_flags = n
    for scheme_id, n, since in _waiting(schemes):
        rows[scheme_id].waiting = n
        rows[scheme_id].longest_wait_days = (today - since).days
    for scheme_id, progress in target_progress(schemes, today=today):
        rows[scheme_id].targets.append(progress)
    return sort_rows(list(rows.values()), sort)


def sort_rows(rows: list[SchemeOverview], sort: str) -> list[SchemeOverview]:
    """Sorted by one column, ties by name; a row without the figure goes last either way."""
    key = sort.removeprefix("-")
    if key not in SORTS:
        key, sort = DEFAULT_SORT, DEFAULT_SORT
    descending = sort.startswith("-")
    value = SORTS[key]
    by_name = sorted(rows, key=lambda r: r.scheme.name.casefold())
    present = [r for r in by_name if value(r) is not None]
    missing = [r for r in by_name if value(r) is None]
    return sorted(present, key=value, reverse=descending) + missing  # type: ignore[arg-type]


def _health_counts(
    schemes: QuerySet[Scheme], *, today: datetime.date
) -> list[tuple[int, str, int]]:
    """(scheme, health, open relationships): one grouped query."""
    open_ones = Relationship.objects.filter(mentee__scheme__in=schemes)
    with_health = relationships_with_health(open_ones, today=today)
    # "health" is annotated by relationships_with_health; the stubs cannot follow it there.
    grouped = with_health.values("mentee__scheme_id", "health")  # type: ignore[misc]
    return list(
        grouped.annotate(n=CountRows("pk"))
        .order_by()
        .values_list("mentee__scheme_id", "health", "n")
    )


def _live_flag_counts(user: User, schemes: QuerySet[Scheme]) -> list[tuple[int, int]]:
    """(scheme, live flags): one grouped query."""
    return list(
        flag_visible_to(user)
        .filter(scheme__in=schemes, status__in=Flag.LIVE_STATUSES)
        .values("scheme_id")
        .annotate(n=CountRows("pk"))
        .order_by()
        .values_list("scheme_id", "n")
    )


def _waiting(schemes: QuerySet[Scheme]) -> list[tuple[int, int, datetime.date]]:
    """(scheme, people awaiting a match, the day the longest wait began): one grouped query.
    A wait starts when the referral reached "awaiting a match", as on the waiting list."""
    return list(
        Referral.objects.filter(mentee__scheme__in=schemes, status=Referral.Status.AWAITING_MATCH)
        .values("mentee__scheme_id")
        .annotate(n=CountRows("pk"), since=Min("status_changed_on"))
        .order_by()
        .values_list("mentee__scheme_id", "n", "since")
    )


# --- Progress against targets ---------------------------------------------------------------


class _Count(Func):
    """COUNT(*) of a subquery's rows without GROUP BY (Django's Count would group)."""

    function = "COUNT"
    template = "%(function)s(*)"
    output_field = IntegerField()


def _cohort() -> QuerySet[Mentee]:
    """The funder report's cohort for the outer target: people of its scheme referred in its
    period, each with the date of their first referral in it (``first_on``), their latest
    relationship matched after it (``latest_id``) and their meetings held by the period end
    (``met``, ``face_to_face``)."""
    in_period = Referral.objects.filter(
        mentee=OuterRef("pk"),
        referred_on__gte=OuterRef(OuterRef("starts_on")),
        referred_on__lte=OuterRef(OuterRef("ends_on")),
    )
    end = OuterRef(OuterRef("ends_on"))
    theirs = Relationship.objects.filter(
        mentee=OuterRef("pk"), matched_on__gte=OuterRef("first_on"), matched_on__lte=end
    )
    held = Meeting.objects.filter(
        relationship__mentee=OuterRef("pk"),
        relationship__matched_on__gte=OuterRef("first_on"),
        relationship__matched_on__lte=end,
        outcome=Meeting.Outcome.MET,
        held_at__date__lte=end,
    )
    return (
        Mentee.objects.filter(scheme=OuterRef("scheme"))
        .filter(Exists(in_period))
        .annotate(
            first_on=Subquery(in_period.order_by("referred_on").values("referred_on")[:1]),
            latest_id=Subquery(theirs.order_by("-matched_on", "-pk").values("pk")[:1]),
            met=Subquery(held.order_by().annotate(n=_Count()).values("n")),
            face_to_face=Subquery(
                held.filter(mode__in=Meeting.FACE_TO_FACE_MODES)
                .order_by()
                .annotate(n=_Count())
                .values("n")
            ),
        )
    )


def _stage_filters() -> dict[str, Q]:
    """Who of the cohort reached each funnel stage (the rules of ``reports.cohort``)."""
    end = OuterRef("ends_on")
    consented = Consent.objects.filter(mentee=OuterRef("pk"), given_on__lte=OuterRef(end)).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=OuterRef("first_on"))
    )
    planned = Relationship.objects.filter(
        pk=OuterRef("latest_id"),
        closed_on__lte=OuterRef(end),
        closure_type=Relationship.ClosureType.PLANNED,
    )
    return {
        FunnelStage.REFERRED: Q(),
        FunnelStage.CONSENTED: Q(Exists(consented)),
        FunnelStage.MATCHED: Q(latest_id__isnull=False),
        FunnelStage.ANY_CONTACT: Q(met__gte=1),
        FunnelStage.FACE_TO_FACE: Q(face_to_face__gte=1),
        FunnelStage.MET_3_PLUS: Q(met__gte=3),
        FunnelStage.MET_5_PLUS: Q(met__gte=5),
        FunnelStage.ENDED_AS_PLANNED: Q(Exists(planned)),
    }


def target_progress(
    schemes: QuerySet[Scheme], *, today: datetime.date
) -> list[tuple[int, TargetProgress]]:
    """(scheme, progress) for every target of ``schemes`` whose period includes ``today``,
    in funnel order: one query, each target counting only its own stage."""
    cohort = _cohort()
    actual = Case(
        *(
            When(
                stage=stage,
                then=Subquery(cohort.filter(q).order_by().annotate(n=_Count()).values("n")),
            )
            for stage, q in _stage_filters().items()
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    targets = (
        Target.objects.filter(scheme__in=schemes, starts_on__lte=today, ends_on__gte=today)
        .annotate(actual=actual)
        .values_list("scheme_id", "stage", "number", "starts_on", "ends_on", "actual")
    )
    order = {stage: i for i, stage in enumerate(FunnelStage.values)}
    progress: dict[int, list[TargetProgress]] = defaultdict(list)
    for scheme_id, stage, number, starts_on, ends_on, count in targets:
        progress[scheme_id].append(
            TargetProgress(
                stage=stage,
                label=FunnelStage(stage).label,
                actual=count or 0,
                number=number,
                starts_on=starts_on,
                ends_on=ends_on,
                today=today,
            )
        )
    return [
        (scheme_id, item)
        for scheme_id, items in progress.items()
        for item in sorted(items, key=lambda t: (order[t.stage], t.starts_on))
    ]
