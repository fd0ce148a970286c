"""The sweep: load the facts set-wise, apply the rules, and bring the flags up to date.

A fixed number of queries whatever the number of relationships: each kind of fact is one
query over every open relationship in scope (window functions pick the last few meetings and
reviews of each), the rules run in memory on those facts, and the flags are reconciled with
one insert, one resolve and one update. It runs in a single transaction under an advisory lock
on PostgreSQL, so a sweep killed midway leaves nothing half-done and two sweeps started
together queue rather than race; the partial unique constraints on ``Flag`` hold either way.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, F, Max, Q, QuerySet, Window
from django.db.models.functions import DenseRank, RowNumber
from django.utils import timezone

from flags import rules
from flags.models import Flag, Kind
from flags.rules.facts import (
    RISING_WEEKS,
    WINDOW_CONTACTS,
    WINDOW_GAPS,
    WINDOW_HELD,
    Contact,
    Finding,
    ReferralFacts,
    RelationshipFacts,
    ReviewFacts,
    Thresholds,
)
from mentees.models import Referral, Situation
from relationships.models import Goal, GoalScore, Meeting, Pause, Relationship, Review
from schemes.models import Scheme

LOCK_KEY = 7_146_001  # any constant: the sweep's advisory lock on PostgreSQL
#: A flag resolved by hand is not raised again for the same thing for this long, even if the
#: condition still holds: the coordinator has looked at it and decided.
HAND_RESOLVED_QUIET_DAYS = 14
PRE_MATCH = (Referral.Status.REFERRED, Referral.Status.ASSESSING, Referral.Status.AWAITING_MATCH)


@dataclass
class SweepResult:
    relationships_checked: int = 0
    referrals_checked: int = 0
    raised: list[Flag] = field(default_factory=list)
    resolved: list[Flag] = field(default_factory=list)
    updated: int = 0


def _thresholds(scheme_id: int | None) -> dict[int, Thresholds]:
    schemes = Scheme.objects.all()
    if scheme_id is not None:
        schemes = schemes.filter(pk=scheme_id)
    return {
        s["pk"]: Thresholds(
            expected_contact_days=s["expected_contact_days"],
            review_interval_weeks=s["review_interval_weeks"],
            cap_meetings=s["cap_meetings"],
            cap_weeks=s["cap_weeks"],
            no_first_meeting_days=s["flag_no_first_meeting_days"],
            no_contact_after_release_days=s["flag_no_contact_after_release_days"],
            review_overdue_days=s["flag_review_overdue_days"],
            waiting_for_match_days=s["flag_waiting_for_match_days"],
            no_contact_attempt_days=s["flag_no_contact_attempt_days"],
            missed_meetings=s["flag_missed_meetings"],
            mentor_led_percent=s["flag_mentor_led_percent"],
            done_for_percent=s["flag_done_for_percent"],
            too_long_weeks=s["flag_too_long_weeks"],
        )
        for s in schemes.values(
            "pk",
            "expected_contact_days",
            "review_interval_weeks",
            "cap_meetings",
            "cap_weeks",
            "flag_no_first_meeting_days",
            "flag_no_contact_after_release_days",
            "flag_review_overdue_days",
            "flag_waiting_for_match_days",
            "flag_no_contact_attempt_days",
            "flag_missed_meetings",
            "flag_mentor_led_percent",
            "flag_done_for_percent",
            "flag_too_long_weeks",
        )
    }


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _newest_first(partition: str) -> Window:
    return Window(
        RowNumber(), partition_by=[F(partition)], order_by=[F("held_at").desc(), F("pk").desc()]
    )


def _open_relationships(scheme_id: int | None) -> QuerySet[Relationship]:
    open_ = Relationship.objects.exclude(status=Relationship.Status.CLOSED)
    if scheme_id is not None:
        open_ = open_.filter(mentee__scheme_id=scheme_id)
    return open_


def relationship_facts(
    *, today: datetime.date, scheme_id: int | None, thresholds: dict[int, Thresholds]
) -> dict[int, tuple[int, RelationshipFacts]]:
    """Every open relationship in scope → (scheme id, facts), in a fixed number of queries."""
    in_scope = Q(relationship__status__in=Relationship.OPEN_STATUSES)
    if scheme_id is not None:
        in_scope &= Q(relationship__mentee__scheme_id=scheme_id)

    facts: dict[int, tuple[int, RelationshipFacts]] = {}
    for row in _open_relationships(scheme_id).values(
        "pk",
        "status",
        "matched_on",
        "next_review_on",
        "exit_plan",
        "planned_end_on",
        "mentee__released_on",
        "mentee__situation",
        "mentee__scheme_id",
    ):
        scheme = row["mentee__scheme_id"]
        facts[row["pk"]] = (
            scheme,
            RelationshipFacts(
                id=row["pk"],
                status=row["status"],
                matched_on=row["matched_on"],
                thresholds=thresholds[scheme],
                next_review_on=row["next_review_on"],
                # Back in custody, a past release no longer calls for contact.
                released_on=None
                if row["mentee__situation"] == Situation.IN_CUSTODY
                else row["mentee__released_on"],
                exit_plan=row["exit_plan"],
                planned_end_on=row["planned_end_on"],
            ),
        )

    def get(pk: int) -> RelationshipFacts | None:
        found = facts.get(pk)
        return found[1] if found else None

    # The last few contacts of any outcome, newest first.
    recent = (
        Meeting.objects.filter(in_scope)
        .annotate(rn=_newest_first("relationship_id"))
        .filter(rn__lte=WINDOW_CONTACTS)
        .order_by("relationship_id", "rn")
        .values_list("relationship_id", "held_at", "outcome", "initiated_by", "purpose")
    )
    for rel, held_at, outcome, initiated_by, purpose in recent:
        if (r := get(rel)) is not None:
            r.recent.append(Contact(_local_day(held_at), outcome, initiated_by, purpose))

    # The last few meetings held.
    held = (
        Meeting.objects.filter(in_scope, outcome=Meeting.Outcome.MET)
        .annotate(rn=_newest_first("relationship_id"))
        .filter(rn__lte=max(WINDOW_HELD, WINDOW_GAPS))
        .order_by("relationship_id", "rn")
        .values_list("relationship_id", "held_at", "purpose")
    )
    for rel, held_at, purpose in held:
        if (r := get(rel)) is not None:
            r.recent_held.append(_local_day(held_at))
            r.recent_held_purposes.append(purpose)

    # Counts of meetings held, overall and in the last weeks.
    recent_start = today - datetime.timedelta(weeks=RISING_WEEKS)
    before_start = recent_start - datetime.timedelta(weeks=RISING_WEEKS)
    met = Q(outcome=Meeting.Outcome.MET)
    counts = (
        Meeting.objects.filter(in_scope)
        .values("relationship_id")
        .annotate(
            held=Count("pk", filter=met),
            last_held=Max("held_at", filter=met),
            recent_weeks=Count("pk", filter=met & Q(held_at__date__gt=recent_start)),
            weeks_before=Count(
                "pk",
                filter=met & Q(held_at__date__gt=before_start, held_at__date__lte=recent_start),
            ),
        )
        .order_by()
    )
    for row in counts:
        if (r := get(row["relationship_id"])) is not None:
            r.held_count = row["held"]
            r.last_contact_on = _local_day(row["last_held"]) if row["last_held"] else None
            r.held_recent_weeks = row["recent_weeks"]
            r.held_weeks_before = row["weeks_before"]

    # The day each capped relationship reached its scheme's cap on meetings.
    capped = (
        Meeting.objects.filter(
            in_scope, met, relationship__mentee__scheme__cap_meetings__isnull=False
        )
        .annotate(
            rn=Window(
                RowNumber(),
                partition_by=[F("relationship_id")],
                order_by=[F("held_at").asc(), F("pk").asc()],
            )
        )
        .filter(rn=F("relationship__mentee__scheme__cap_meetings"))
        .values_list("relationship_id", "held_at")
    )
    for rel, held_at in capped:
        if (r := get(rel)) is not None:
            r.cap_reached_on = _local_day(held_at)

    goals = (
        Goal.objects.filter(in_scope)
        .values("relationship_id")
        .annotate(
            total=Count("pk", filter=~Q(status=Goal.Status.DROPPED)),
            open=Count("pk", filter=Q(status=Goal.Status.ACTIVE)),
            achieved=Count("pk", filter=Q(status=Goal.Status.ACHIEVED)),
            last_achieved=Max("closed_on", filter=Q(status=Goal.Status.ACHIEVED)),
        )
        .order_by()
    )
    for row in goals:
        if (r := get(row["relationship_id"])) is not None:
            r.goals_total = row["total"]
            r.goals_open = row["open"]
            r.goals_achieved = row["achieved"]
            r.last_goal_achieved_on = row["last_achieved"]

    # The last two reviews, and the scores given at them.
    last_two = Window(
        RowNumber(),
        partition_by=[F("relationship_id")],
        order_by=[F("held_on").desc(), F("pk").desc()],
    )
    reviews: dict[int, dict] = {}
    for row in (
        Review.objects.filter(in_scope)
        .annotate(rn=last_two)
        .filter(rn__lte=2)
        .order_by("relationship_id", "rn")
        .values(
            "pk",
            "relationship_id",
            "held_on",
            "mentee_driving",
            "mentor_driving",
            "steps_total",
            "steps_owned_by_mentee",
        )
    ):
        reviews[row["pk"]] = {**row, "scores": defaultdict(list)}
    score_scope = Q(review__relationship__status__in=Relationship.OPEN_STATUSES)
    if scheme_id is not None:
        score_scope &= Q(review__relationship__mentee__scheme_id=scheme_id)
    scores = (
        GoalScore.objects.filter(score_scope)
        .annotate(
            rank=Window(
                DenseRank(),
                partition_by=[F("review__relationship_id")],
                order_by=[F("review__held_on").desc(), F("review_id").desc()],
            )
        )
        .filter(rank__lte=2)
        .values_list("review_id", "domain", "score")
    )
    for review_id, domain, score in scores:
        if review_id in reviews:
            reviews[review_id]["scores"][domain].append(score)
    for row in reviews.values():  # already newest first within each relationship
        if (r := get(row["relationship_id"])) is not None:
            r.reviews.append(
                ReviewFacts(
                    held_on=row["held_on"],
                    mentee_driving=row["mentee_driving"],
                    mentor_driving=row["mentor_driving"],
                    steps_total=row["steps_total"],
                    steps_owned_by_mentee=row["steps_owned_by_mentee"],
                    scores={d: sum(v) / len(v) for d, v in row["scores"].items()},
                )
            )

    for rel, starts_on, ends_on in Pause.objects.filter(in_scope).values_list(
        "relationship_id", "starts_on", "ends_on"
    ):
        if (r := get(rel)) is not None:
            r.pauses.append((starts_on, ends_on))
    return facts


def referral_facts(
    *, scheme_id: int | None, thresholds: dict[int, Thresholds]
) -> dict[int, tuple[int, ReferralFacts]]:
    """Every referral not yet matched → (scheme id, facts), in one query."""
    referrals = Referral.objects.filter(status__in=PRE_MATCH)
    if scheme_id is not None:
        referrals = referrals.filter(mentee__scheme_id=scheme_id)
    rows = referrals.annotate(last_attempt=Max("contact_attempts__attempted_on")).values(
        "pk", "status", "referred_on", "status_changed_on", "last_attempt", "mentee__scheme_id"
    )
    return {
        row["pk"]: (
            row["mentee__scheme_id"],
            ReferralFacts(
                id=row["pk"],
                status=row["status"],
                referred_on=row["referred_on"],
                waiting_since=row["status_changed_on"]
                if row["status"] == Referral.Status.AWAITING_MATCH
                else None,
                last_attempt_on=row["last_attempt"],
                thresholds=thresholds[row["mentee__scheme_id"]],
            ),
        )
        for row in rows
    }


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
    thresholds = _thresholds(scheme_id)
    rel_facts = relationship_facts(today=today, scheme_id=scheme_id, thresholds=thresholds)
    ref_facts = referral_facts(scheme_id=scheme_id, thresholds=thresholds)

    # (kind, "relationship" | "referral", id) → (scheme id, finding)
    found: dict[tuple[str, str, int], tuple[int, Finding]] = {}
    for scheme, facts in rel_facts.values():
        for finding in rules.findings_for_relationship(facts, today):
            found[finding.kind, "relationship", facts.id] = (scheme, finding)
    for scheme, facts in ref_facts.values():
        for finding in rules.findings_for_referral(facts, today):
            found[finding.kind, "referral", facts.id] = (scheme, finding)

    live = Flag.objects.filter(status__in=Flag.LIVE_STATUSES)
    quiet = Flag.objects.filter(
        status=Flag.Status.RESOLVED,
        resolved_by__isnull=False,
        resolved_at__gte=now - datetime.timedelta(days=HAND_RESOLVED_QUIET_DAYS),
    )
    if scheme_id is not None:
        live, quiet = live.filter(scheme_id=scheme_id), quiet.filter(scheme_id=scheme_id)

    def key(flag: Flag) -> tuple[str, str, int]:
        if flag.relationship_id:
            return (flag.kind, "relationship", flag.relationship_id)
        return (flag.kind, "referral", flag.referral_id)

    live_flags = {
        key(f): f
        for f in live.only("pk", "kind", "relationship_id", "referral_id", "evidence", "figures")
    }
    quiet_keys = {key(f) for f in quiet.only("kind", "relationship_id", "referral_id")}

    result = SweepResult(relationships_checked=len(rel_facts), referrals_checked=len(ref_facts))
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
        if (kind, target_type, target) not in live_flags
        and (kind, target_type, target) not in quiet_keys
    ]
    # A sweep running alongside may have raised the same flag a moment ago: the constraint
    # keeps one, and this insert skips it.
    Flag.objects.bulk_create(new, ignore_conflicts=True)
    result.raised = new

    cleared = [f for k, f in live_flags.items() if k not in found]
    if cleared:
        Flag.objects.filter(pk__in=[f.pk for f in cleared]).update(
            status=Flag.Status.RESOLVED,
            resolved_at=now,
            resolved_by=None,
            resolution_note="The condition cleared.",
        )
    result.resolved = cleared

    changed = []
    for k, flag in live_flags.items():
        if k in found:
            finding = found[k][1]
            if flag.evidence != finding.evidence or flag.figures != finding.figures:
                flag.evidence, flag.figures = finding.evidence, finding.figures
                changed.append(flag)
    if changed:
        Flag.objects.bulk_update(changed, ["evidence", "figures"])
    result.updated = len(changed)
    return result


__all__ = ["Kind", "SweepResult", "sweep"]
