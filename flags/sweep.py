"""The sweep: load the facts set-wise, apply the rules, and bring the flags up to date.

A fixed number of queries whatever the number of relationships: ``flags.fact_queries`` reads
each kind of fact in one query over every open relationship in scope, the rules run in memory
on those facts, and the flags are reconciled with one insert, one resolve and one update. It
runs in a single transaction under an advisory lock on PostgreSQL, so a sweep killed midway
leaves nothing half-done and two sweeps started together queue rather than race; the partial
unique constraints on ``Flag`` hold either way.
"""

import datetime
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Literal

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from flags.fact_queries import PRE_MATCH, referral_facts, relationship_facts, scheme_thresholds
from flags.models import Flag, Kind
from flags.rules import watch
from flags.rules.facts import Finding, ReferralFacts, RelationshipFacts
from flags.services import resolved_with_closure
from mentees.models import Referral
from relationships.models import Relationship

LOCK_KEY = 7_146_001  # any constant: the sweep's advisory lock on PostgreSQL
#: A flag resolved by hand is not raised again for the same thing for this long, even if the
#: condition still holds: the coordinator has looked at it and decided.
HAND_RESOLVED_QUIET_DAYS = 14

#: What a flag is about: (kind, "relationship" | "referral", the relationship's or referral's id).
FlagKey = tuple[str, Literal["relationship", "referral"], int]
TARGETS = ("relationship_id", "referral_id")
#: Each condition that holds now → (the scheme it belongs to, what the rule found).
Found = dict[FlagKey, tuple[int, Finding]]


@dataclass
class SweepResult:
    relationships_checked: int = 0
    referrals_checked: int = 0
    raised: list[Flag] = field(default_factory=list)
    resolved: list[Flag] = field(default_factory=list)
    updated: int = 0


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


@transaction.atomic
def sweep(*, today: datetime.date | None = None, scheme_id: int | None = None) -> SweepResult:
    """Raise the flags whose condition holds, resolve those whose condition cleared, and
    refresh the evidence of the rest. Safe to run at any time, as often as wanted."""
    _lock()
    now = timezone.now()
    today = today or timezone.localdate()
    thresholds = scheme_thresholds(scheme_id)
    relationships = relationship_facts(today=today, scheme_id=scheme_id, thresholds=thresholds)
    referrals = referral_facts(scheme_id=scheme_id, thresholds=thresholds)
    found = _findings(relationships, referrals, today)

    live, quiet = _live_and_quiet(now)
    if scheme_id is not None:
        live, quiet = live.filter(scheme_id=scheme_id), quiet.filter(scheme_id=scheme_id)
    result = _reconcile(found, live, quiet, now=now)
    result.relationships_checked, result.referrals_checked = len(relationships), len(referrals)
    return result


@transaction.atomic
def sweep_relationship(
    *, scheme_id: int, relationship_id: int, today: datetime.date | None = None
) -> SweepResult | None:
    """The sweep of one relationship, run in the request that wrote to it (through
    ``core.queue.sweep_soon``) so the page confirming the write shows its flags and the
    mentor's prompts as they now are: a first meeting logged leaves no "arrange a first
    meeting". A fixed number of queries, each narrowed to the one relationship.

    It takes the sweep's lock shared and without waiting: sweeps of single relationships do
    not queue behind each other, and a full sweep (which takes it alone) waits for the
    request's commit rather than reading around it. If a full sweep holds the lock now, this
    returns ``None`` without looking, so a request never waits on the watcher; the scheme's
    sweep queued by the same write brings the flags up to date moments later."""
    if not _try_lock_shared():
        return None
    now = timezone.now()
    today = today or timezone.localdate()
    relationships = relationship_facts(
        today=today,
        scheme_id=scheme_id,
        thresholds=scheme_thresholds(scheme_id),
        relationship_id=relationship_id,
    )
    found = _findings(relationships, {}, today)
    live, quiet = _live_and_quiet(now)
    result = _reconcile(
        found,
        live.filter(relationship_id=relationship_id),
        quiet.filter(relationship_id=relationship_id),
        now=now,
    )
    result.relationships_checked = len(relationships)
    return result


def _try_lock_shared() -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock_shared(%s)", [LOCK_KEY])
        return bool(cursor.fetchone()[0])


def _live_and_quiet(now: datetime.datetime) -> tuple[QuerySet[Flag], QuerySet[Flag]]:
    """The live flags, and those resolved by hand lately, which keep their condition quiet.
    A flag that ended with its relationship's closure keeps nothing quiet: a relationship
    reopened is watched afresh."""
    live = Flag.objects.filter(status__in=Flag.LIVE_STATUSES)
    quiet = Flag.objects.filter(
        status=Flag.Status.RESOLVED,
        resolved_by__isnull=False,
        resolved_at__gte=now - datetime.timedelta(days=HAND_RESOLVED_QUIET_DAYS),
    ).exclude(resolved_with_closure())
    return live, quiet


def _reconcile(
    found: Found, live: QuerySet[Flag], quiet: QuerySet[Flag], *, now: datetime.datetime
) -> SweepResult:
    """Bring the flags in scope (``live``, ``quiet``) in line with what was ``found``."""
    live_flags = {
        _key(f): f
        for f in live.only("pk", "kind", "relationship_id", "referral_id", "evidence", "figures")
    }
    quiet_keys = {_key(f) for f in quiet.only("kind", "relationship_id", "referral_id")}

    raised = _raise(found, skip=live_flags.keys() | quiet_keys, now=now)
    resolved = _resolve_cleared(found, live_flags, now=now)
    updated = _refresh_evidence(found, live_flags)
    return SweepResult(raised=raised, resolved=resolved, updated=updated)


def _findings(
    relationships: dict[int, tuple[int, RelationshipFacts]],
    referrals: dict[int, tuple[int, ReferralFacts]],
    today: datetime.date,
) -> Found:
    """Run every rule over the facts as the watcher sees them (nothing before a record's
    ``watched_from``: ``flags.rules.watch``): what holds now, keyed as the flags are."""
    found: Found = {}
    for scheme, relationship in relationships.values():
        for finding in watch.relationship_findings(relationship, today):
            found[finding.kind, "relationship", relationship.id] = (scheme, finding)
    for scheme, referral in referrals.values():
        for finding in watch.referral_findings(referral, today):
            found[finding.kind, "referral", referral.id] = (scheme, finding)
    return found


def preview(
    *,
    scheme_id: int,
    relationship_ids: Collection[int] | None = None,
    referral_ids: Collection[int] | None = None,
    today: datetime.date | None = None,
) -> dict[str, int]:
    """How many flags a sweep of the scheme would raise now, by kind, writing nothing; only
    about the relationships and referrals given, if any are. For an import, which runs it
    on the rows it wrote before committing them (or, for a check, rolling them back)."""
    today = today or timezone.localdate()
    thresholds = scheme_thresholds(scheme_id)
    relationships = relationship_facts(today=today, scheme_id=scheme_id, thresholds=thresholds)
    referrals = referral_facts(scheme_id=scheme_id, thresholds=thresholds)
    found = _findings(relationships, referrals, today)
    live, quiet = _live_and_quiet(timezone.now())
    skip = {_key(f) for f in live.filter(scheme_id=scheme_id).only("kind", *TARGETS)}
    skip |= {_key(f) for f in quiet.filter(scheme_id=scheme_id).only("kind", *TARGETS)}
    everything = relationship_ids is None and referral_ids is None
    counts: Counter[str] = Counter()
    for kind, target_type, target in found.keys() - skip:
        ids = relationship_ids if target_type == "relationship" else referral_ids
        if everything or (ids is not None and target in ids):
            counts[str(kind)] += 1
    return dict(counts)


def _key(flag: Flag) -> FlagKey:
    if flag.relationship_id:
        return (flag.kind, "relationship", flag.relationship_id)
    if flag.referral_id is None:  # ruled out by the flag_on_a_relationship_or_a_referral check
        raise ValueError(f"Flag {flag.pk} is on neither a relationship nor a referral.")
    return (flag.kind, "referral", flag.referral_id)


def _raise(found: Found, *, skip: set[FlagKey], now: datetime.datetime) -> list[Flag]:
    """Insert a flag for each condition found, unless it is live already or was resolved by
    hand lately (``skip``), or its relationship or referral has left the watch since the
    facts were read (``_still_watched``)."""
    new = [
        Flag(
            kind=finding.kind,
            severity=finding.severity,
            scheme_id=scheme,
            relationship_id=target if target_type == "relationship" else None,
            referral_id=target if target_type == "referral" else None,
            evidence=finding.evidence,
            figures=finding.figures,
            raised_at=now,
        )
        for (kind, target_type, target), (scheme, finding) in found.items()
        if (kind, target_type, target) not in skip
    ]
    new = _still_watched(new)
    # A sweep running alongside may have raised the same flag a moment ago: the constraint
    # keeps one, and this insert skips it.
    Flag.objects.bulk_create(new, ignore_conflicts=True)
    return new


def _still_watched(new: list[Flag]) -> list[Flag]:
    """The flags about to be raised whose relationship is still open, or whose referral is
    still waiting for a match, as committed now rather than when the facts were read.

    A closure that commits while a sweep runs resolves its relationship's flags in its own
    transaction (``flags.services.flags_resolve_for_closed``); without this the sweep, still
    holding the facts it read before, would raise fresh flags on the closed relationship.
    Each row is locked (``FOR NO KEY UPDATE``, in id order) until the sweep commits: a
    closure in flight is waited for and its status read once it commits, and a closure
    starting now waits for the sweep, then resolves what it raised. A query for each of the
    relationships and referrals, only when there are flags on them to raise."""
    relationship_ids = {f.relationship_id for f in new if f.relationship_id is not None}
    referral_ids = {f.referral_id for f in new if f.referral_id is not None}
    open_relationships: set[int] = set()
    if relationship_ids:
        open_relationships = set(
            Relationship.objects.select_for_update(no_key=True)
            .filter(pk__in=relationship_ids, status__in=Relationship.OPEN_STATUSES)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    waiting_referrals: set[int] = set()
    if referral_ids:
        waiting_referrals = set(
            Referral.objects.select_for_update(no_key=True)
            .filter(pk__in=referral_ids, status__in=PRE_MATCH)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    return [
        f
        for f in new
        if (f.relationship_id in open_relationships)
        or (f.referral_id is not None and f.referral_id in waiting_referrals)
    ]


def _resolve_cleared(
    found: Found, live_flags: dict[FlagKey, Flag], *, now: datetime.datetime
) -> list[Flag]:
    """Resolve the live flags whose condition no longer holds."""
    cleared = [f for k, f in live_flags.items() if k not in found]
    if cleared:
        Flag.objects.filter(pk__in=[f.pk for f in cleared]).update(
            status=Flag.Status.RESOLVED,
            resolved_at=now,
            resolved_by=None,
            resolution_note="The condition cleared.",
        )
    return cleared


def _refresh_evidence(found: Found, live_flags: dict[FlagKey, Flag]) -> int:
    """Bring the evidence and figures of the live flags that still hold up to date; how many
    changed."""
    changed = []
    for k, flag in live_flags.items():
        if k in found:
            finding = found[k][1]
            if flag.evidence != finding.evidence or flag.figures != finding.figures:
                flag.evidence, flag.figures = finding.evidence, finding.figures
                changed.append(flag)
    if changed:
        Flag.objects.bulk_update(changed, ["evidence", "figures"])
    return len(changed)


__all__ = ["Kind", "SweepResult", "preview", "sweep", "sweep_relationship"]
