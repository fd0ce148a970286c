"""The manager's overview: every scheme on one page, a fixed number of queries.

For each scheme: open relationships by health (as the dashboard counts them), live flags,
people waiting for a match and the longest wait, and progress against the scheme's numeric
targets for the period running today. Each of the first three figures is one query grouped
by scheme, whatever the number of schemes; rows are put together and sorted in Python.

Progress against a target counts the funder report's cohort (``reports.cohort``, the same
rules as ``docs/reports.md``) for the target's own period: everyone referred to the scheme in
the period, and of them those consented, matched, met, met face to face, three and five
times, and ended as planned. It reads the cohort's facts set-wise in four queries (not every
meeting, as the report does: meetings come counted per relationship) and counts in Python.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from concerns.models import Concern
from concerns.selectors import concern_visible_to
from flags.models import Flag
from flags.selectors import Health, flag_visible_to, relationships_with_health
from mentees.models import Consent, Referral
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
    open_concerns: int = 0
    overdue_concerns: int = 0  # not acknowledged within the scheme's time
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
    "concerns": lambda r: r.open_concerns,
    "overdue_concerns": lambda r: r.overdue_concerns,
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
    for scheme_id, open_ones, overdue in _concern_counts(user, schemes, now=timezone.now()):
        rows[scheme_id].open_concerns = open_ones
        rows[scheme_id].overdue_concerns = overdue
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
        grouped.annotate(n=Count("pk")).order_by().values_list("mentee__scheme_id", "health", "n")
    )


def _live_flag_counts(user: User, schemes: QuerySet[Scheme]) -> list[tuple[int, int]]:
    """(scheme, live flags): one grouped query."""
    return list(
        flag_visible_to(user)
        .filter(scheme__in=schemes, status__in=Flag.LIVE_STATUSES)
        .values("scheme_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("scheme_id", "n")
    )


def _concern_counts(
    user: User, schemes: QuerySet[Scheme], *, now: datetime.datetime
) -> list[tuple[int, int, int]]:
    """(scheme, open concerns, those not acknowledged in the scheme's time): one grouped
    query, overdue as the concerns list counts it."""
    return list(
        concern_visible_to(user)
        .filter(scheme__in=schemes, status__in=Concern.OPEN_STATUSES)
        .values("scheme_id")
        .annotate(
            open=Count("pk"),
            overdue=Count(
                "pk",
                filter=Q(status=Concern.Status.RECEIVED, due_at__lt=now, carried_over=False),
            ),
        )
        .order_by()
        .values_list("scheme_id", "open", "overdue")
    )


def _waiting(schemes: QuerySet[Scheme]) -> list[tuple[int, int, datetime.date]]:
    """(scheme, people awaiting a match, the day the longest wait began): one grouped query.
    A wait starts when the referral reached "awaiting a match", as on the waiting list."""
    return list(
        Referral.objects.filter(mentee__scheme__in=schemes, status=Referral.Status.AWAITING_MATCH)
        .values("mentee__scheme_id")
        .annotate(n=Count("pk"), since=Min("status_changed_on"))
        .order_by()
        .values_list("mentee__scheme_id", "n", "since")
    )


# --- Progress against targets ---------------------------------------------------------------
# The cohort's facts are read set-wise, a fixed four queries whatever the number of schemes
# (the targets, the referrals in their periods, the cohort's relationships with their
# meetings counted, their consents), and counted in Python. Counting per target in SQL, with
# a correlated subquery per person, took nine seconds at national scale (200 schemes, 60,000
# people); this takes a fraction of one.

Period = tuple[int, datetime.date, datetime.date]  # a scheme and a target's dates


@dataclass(frozen=True)
class _Match:
    matched_on: datetime.date
    pk: int
    closed_on: datetime.date | None
    planned: bool
    met: int
    face_to_face: int


def target_progress(
    schemes: QuerySet[Scheme], *, today: datetime.date
) -> list[tuple[int, TargetProgress]]:
    """(scheme, progress) for every target of ``schemes`` whose period includes ``today``,
    in funnel order."""
    targets = list(
        Target.objects.filter(scheme__in=schemes, starts_on__lte=today, ends_on__gte=today)
        .order_by()
        .values_list("scheme_id", "stage", "number", "starts_on", "ends_on")
    )
    if not targets:
        return []
    periods: dict[int, set[tuple[datetime.date, datetime.date]]] = defaultdict(set)
    for scheme_id, _, _, starts_on, ends_on in targets:
        periods[scheme_id].add((starts_on, ends_on))
    counts = _stage_counts(schemes, periods, today=today)
    order = {stage: i for i, stage in enumerate(FunnelStage.values)}
    progress = [
        (
            scheme_id,
            TargetProgress(
                stage=stage,
                label=FunnelStage(stage).label,
                actual=counts.get((scheme_id, starts_on, ends_on), {}).get(stage, 0),
                number=number,
                starts_on=starts_on,
                ends_on=ends_on,
                today=today,
            ),
        )
        for scheme_id, stage, number, starts_on, ends_on in targets
    ]
    return sorted(progress, key=lambda p: (p[0], order[p[1].stage], p[1].starts_on))


def _stage_counts(
    schemes: QuerySet[Scheme],
    periods: dict[int, set[tuple[datetime.date, datetime.date]]],
    *,
    today: datetime.date,
) -> dict[Period, dict[str, int]]:
    """People at each funnel stage, per scheme and target period."""
    running = Target.objects.filter(
        scheme=OuterRef("mentee__scheme"),
        starts_on__lte=OuterRef("referred_on"),
        ends_on__gte=OuterRef("referred_on"),
    ).filter(starts_on__lte=today, ends_on__gte=today)
    referrals = Referral.objects.filter(mentee__scheme__in=schemes).filter(Exists(running))
    # Each person's first referral in each period: the cohort (reports.cohort's rule).
    first: dict[Period, dict[int, datetime.date]] = defaultdict(dict)
    for mentee_id, scheme_id, on in referrals.values_list(
        "mentee_id", "mentee__scheme_id", "referred_on"
    ):
        for starts_on, ends_on in periods[scheme_id]:
            people = first[(scheme_id, starts_on, ends_on)]
            if starts_on <= on <= ends_on and (mentee_id not in people or on < people[mentee_id]):
                people[mentee_id] = on
    cohort = referrals.values("mentee_id")
    matches: dict[int, list[_Match]] = defaultdict(list)
    held = Q(meetings__outcome=Meeting.Outcome.MET)
    rows = (
        Relationship.objects.filter(mentee__in=cohort)
        .values("pk", "mentee_id", "matched_on", "closed_on", "closure_type")
        .annotate(
            met=Count("meetings", filter=held),
            face_to_face=Count(
                "meetings", filter=held & Q(meetings__mode__in=Meeting.FACE_TO_FACE_MODES)
            ),
        )
        .order_by()
    )
    for row in rows:
        matches[row["mentee_id"]].append(
            _Match(
                matched_on=row["matched_on"],
                pk=row["pk"],
                closed_on=row["closed_on"],
                planned=row["closure_type"] == Relationship.ClosureType.PLANNED,
                met=row["met"],
                face_to_face=row["face_to_face"],
            )
        )
    consents: dict[int, list[tuple[datetime.date, datetime.date | None]]] = defaultdict(list)
    for mentee_id, given_on, withdrawn_on in Consent.objects.filter(mentee__in=cohort).values_list(
        "mentee_id", "given_on", "withdrawn_on"
    ):
        # Consent recorded before Tandem without a date was given before anything Tandem holds.
        consents[mentee_id].append((given_on or datetime.date.min, withdrawn_on))
    return {
        period: _funnel(people, matches, consents, ends_on=period[2])
        for period, people in first.items()
    }


def _funnel(
    people: dict[int, datetime.date],
    matches: dict[int, list[_Match]],
    consents: dict[int, list[tuple[datetime.date, datetime.date | None]]],
    *,
    ends_on: datetime.date,
) -> dict[str, int]:
    """How many of ``people`` (each with their first referral in the period) reached each
    stage by ``ends_on``: ``reports.cohort``'s rules. A current period ends today or later,
    so every meeting recorded is held by its end."""
    counts = dict.fromkeys(FunnelStage.values, 0)
    for mentee_id, referred_on in people.items():
        theirs = sorted(
            (m for m in matches[mentee_id] if referred_on <= m.matched_on <= ends_on),
            key=lambda m: (m.matched_on, m.pk),
        )
        met = sum(m.met for m in theirs)
        latest = theirs[-1] if theirs else None
        reached = {
            FunnelStage.REFERRED: True,
            FunnelStage.CONSENTED: any(
                given <= ends_on and (withdrawn is None or withdrawn >= referred_on)
                for given, withdrawn in consents[mentee_id]
            ),
            FunnelStage.MATCHED: bool(theirs),
            FunnelStage.ANY_CONTACT: met >= 1,
            FunnelStage.FACE_TO_FACE: any(m.face_to_face for m in theirs),
            FunnelStage.MET_3_PLUS: met >= 3,
            FunnelStage.MET_5_PLUS: met >= 5,
            FunnelStage.ENDED_AS_PLANNED: latest is not None
            and latest.planned
            and latest.closed_on is not None
            and latest.closed_on <= ends_on,
        }
        for stage, yes in reached.items():
            counts[stage] += bool(yes)
    return counts
