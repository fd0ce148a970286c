"""The sweep's reads: every fact the watcher's rules need, loaded set-wise.

A fixed number of queries whatever the number of relationships: each kind of fact is one
query over every open relationship in scope (window functions pick the last few meetings and
reviews of each), filling the plain facts of ``flags.rules.facts`` that the rules then read
in memory.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import DenseRank, RowNumber
from django.utils import timezone

from flags.plan_facts import add_waiting_plans
from flags.rules.facts import (
    HELD_WINDOW,
    RISING_WEEKS,
    WINDOW_CONTACTS,
    Contact,
    ReferralFacts,
    RelationshipFacts,
    ReviewFacts,
    Thresholds,
)
from mentees.models import Referral, Situation
from relationships.models import (
    Goal,
    GoalScore,
    MatchOffer,
    Meeting,
    Pause,
    PlannedMeeting,
    Relationship,
    Review,
)
from schemes.models import Scheme

PRE_MATCH = (Referral.Status.REFERRED, Referral.Status.ASSESSING, Referral.Status.AWAITING_MATCH)
#: An offer nobody answered: still waiting, or closed at its deadline.
UNANSWERED = (MatchOffer.Status.PENDING, MatchOffer.Status.LAPSED)

#: Open relationships by id (the facts are filled in place, one kind of fact per query).
ById = dict[int, RelationshipFacts]


def scheme_thresholds(scheme_id: int | None) -> dict[int, Thresholds]:
    """Each scheme in scope (all when ``scheme_id`` is None) → its thresholds, in one query."""
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
            plan_outcome_days=s["flag_plan_outcome_days"],
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
            "flag_plan_outcome_days",
        )
    }


def relationship_facts(
    *,
    today: datetime.date,
    scheme_id: int | None,
    thresholds: dict[int, Thresholds],
    relationship_id: int | None = None,
) -> dict[int, tuple[int, RelationshipFacts]]:
    """Every open relationship in scope → (scheme id, facts), in a fixed number of queries.
    ``relationship_id`` narrows the scope to one (the sweep of one relationship after a
    write, ``flags.sweep.sweep_relationship``)."""
    in_scope = Q(relationship__status__in=Relationship.OPEN_STATUSES)
    if scheme_id is not None:
        in_scope &= Q(relationship__mentee__scheme_id=scheme_id)
    if relationship_id is not None:
        in_scope &= Q(relationship_id=relationship_id)
    found = _open_relationships(scheme_id, thresholds, relationship_id)
    facts: ById = {pk: r for pk, (_scheme, r) in found.items()}
    meetings = Meeting.objects.filter(in_scope)
    _add_recent_contacts(facts, meetings)
    _add_meetings_held(facts, meetings)
    _add_meeting_counts(facts, meetings, today)
    _add_cap_reached(facts, meetings)
    _add_goals(facts, Goal.objects.filter(in_scope))
    _add_reviews(facts, Review.objects.filter(in_scope), scheme_id, relationship_id)
    _add_pauses(facts, Pause.objects.filter(in_scope))
    add_waiting_plans(facts, PlannedMeeting.objects.filter(in_scope), today)
    return found


def referral_facts(
    *, scheme_id: int | None, thresholds: dict[int, Thresholds]
) -> dict[int, tuple[int, ReferralFacts]]:
    """Every referral not yet matched → (scheme id, facts), in one query."""
    referrals = Referral.objects.filter(status__in=PRE_MATCH)
    if scheme_id is not None:
        referrals = referrals.filter(mentee__scheme_id=scheme_id)
    latest_offer = MatchOffer.objects.filter(referral=OuterRef("pk")).order_by("-offered_at", "-pk")
    rows = referrals.annotate(
        last_attempt=Max("contact_attempts__attempted_on"),
        offer_status=Subquery(latest_offer.values("status")[:1]),
        offer_expires_at=Subquery(latest_offer.values("expires_at")[:1]),
    ).values(
        "pk",
        "status",
        "referred_on",
        "status_changed_on",
        "last_attempt",
        "mentee__scheme_id",
        "offer_status",
        "offer_expires_at",
        "watched_from",
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
                offer_due_on=_local_day(row["offer_expires_at"])
                if row["offer_status"] in UNANSWERED
                else None,
                watched_from=row["watched_from"],
            ),
        )
        for row in rows
    }


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _newest_first(partition: str) -> Window:
    return Window(
        RowNumber(), partition_by=[F(partition)], order_by=[F("held_at").desc(), F("pk").desc()]
    )


def _open_relationships(
    scheme_id: int | None, thresholds: dict[int, Thresholds], relationship_id: int | None = None
) -> dict[int, tuple[int, RelationshipFacts]]:
    """The open relationships in scope, with what their own row and the mentee's say."""
    open_ = Relationship.objects.exclude(status=Relationship.Status.CLOSED)
    if scheme_id is not None:
        open_ = open_.filter(mentee__scheme_id=scheme_id)
    if relationship_id is not None:
        open_ = open_.filter(pk=relationship_id)
    found: dict[int, tuple[int, RelationshipFacts]] = {}
    for row in open_.values(
        "pk",
        "status",
        "matched_on",
        "next_review_on",
        "exit_plan",
        "planned_end_on",
        "mentee__released_on",
        "mentee__situation",
        "mentee__scheme_id",
        "watched_from",
    ):
        scheme = row["mentee__scheme_id"]
        found[row["pk"]] = (
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
                watched_from=row["watched_from"],
            ),
        )
    return found


def _add_recent_contacts(facts: ById, meetings: QuerySet[Meeting]) -> None:
    """The last few contacts of any outcome, newest first."""
    recent = (
        meetings.annotate(rn=_newest_first("relationship_id"))
        .filter(rn__lte=WINDOW_CONTACTS)
        .order_by("relationship_id", "rn")
        .values_list("relationship_id", "held_at", "outcome", "initiated_by", "purpose")
    )
    for rel, held_at, outcome, initiated_by, purpose in recent:
        if (r := facts.get(rel)) is not None:
            r.recent.append(Contact(_local_day(held_at), outcome, initiated_by, purpose))


def _add_meetings_held(facts: ById, meetings: QuerySet[Meeting]) -> None:
    """The last few meetings held, newest first."""
    held = (
        meetings.filter(outcome=Meeting.Outcome.MET)
        .annotate(rn=_newest_first("relationship_id"))
        .filter(rn__lte=HELD_WINDOW)
        .order_by("relationship_id", "rn")
        .values_list("relationship_id", "held_at", "purpose", "initiated_by")
    )
    for rel, held_at, purpose, initiated_by in held:
        if (r := facts.get(rel)) is not None:
            r.recent_held.append(_local_day(held_at))
            r.recent_held_purposes.append(purpose)
            r.recent_held_initiated_by.append(initiated_by)


def _add_meeting_counts(facts: ById, meetings: QuerySet[Meeting], today: datetime.date) -> None:
    """Counts of meetings held, overall and in the last weeks, and the last one held."""
    recent_start = today - datetime.timedelta(weeks=RISING_WEEKS)
    before_start = recent_start - datetime.timedelta(weeks=RISING_WEEKS)
    met = Q(outcome=Meeting.Outcome.MET)
    counts = (
        meetings.values("relationship_id")
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
        if (r := facts.get(row["relationship_id"])) is not None:
            r.held_count = row["held"]
            r.last_contact_on = _local_day(row["last_held"]) if row["last_held"] else None
            r.held_recent_weeks = row["recent_weeks"]
            r.held_weeks_before = row["weeks_before"]


def _add_cap_reached(facts: ById, meetings: QuerySet[Meeting]) -> None:
    """The day each capped relationship reached its scheme's cap on meetings."""
    capped = (
        meetings.filter(
            outcome=Meeting.Outcome.MET,
            relationship__mentee__scheme__cap_meetings__isnull=False,
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
        if (r := facts.get(rel)) is not None:
            r.cap_reached_on = _local_day(held_at)


def _add_goals(facts: ById, goals: QuerySet[Goal]) -> None:
    """How many goals each relationship has, open and achieved, and the last achieved."""
    counts = (
        goals.values("relationship_id")
        .annotate(
            total=Count("pk", filter=~Q(status=Goal.Status.DROPPED)),
            open=Count("pk", filter=Q(status=Goal.Status.ACTIVE)),
            achieved=Count("pk", filter=Q(status=Goal.Status.ACHIEVED)),
            last_achieved=Max("closed_on", filter=Q(status=Goal.Status.ACHIEVED)),
        )
        .order_by()
    )
    for row in counts:
        if (r := facts.get(row["relationship_id"])) is not None:
            r.goals_total = row["total"]
            r.goals_open = row["open"]
            r.goals_achieved = row["achieved"]
            r.last_goal_achieved_on = row["last_achieved"]


def _add_reviews(
    facts: ById, reviews: QuerySet[Review], scheme_id: int | None, relationship_id: int | None
) -> None:
    """The last two reviews of each relationship, newest first, each with the mean score
    given to each goal domain at it."""
    last_two = Window(
        RowNumber(),
        partition_by=[F("relationship_id")],
        order_by=[F("held_on").desc(), F("pk").desc()],
    )
    rows = {
        row["pk"]: row
        for row in reviews.annotate(rn=last_two)
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
    }
    scores = _scores_at_last_two_reviews(scheme_id, relationship_id, review_ids=rows.keys())
    for pk, row in rows.items():  # already newest first within each relationship
        if (r := facts.get(row["relationship_id"])) is not None:
            r.reviews.append(
                ReviewFacts(
                    held_on=row["held_on"],
                    mentee_driving=row["mentee_driving"],
                    mentor_driving=row["mentor_driving"],
                    steps_total=row["steps_total"],
                    steps_owned_by_mentee=row["steps_owned_by_mentee"],
                    scores={d: sum(v) / len(v) for d, v in scores[pk].items()},
                )
            )


def _scores_at_last_two_reviews(
    scheme_id: int | None, relationship_id: int | None, *, review_ids: Iterable[int]
) -> dict[int, dict[str, list[int]]]:
    """Review id → goal domain → the scores given at it, for the last two reviews of each
    open relationship in scope (``review_ids``, read alongside), in one query."""
    scope = Q(review__relationship__status__in=Relationship.OPEN_STATUSES)
    if scheme_id is not None:
        scope &= Q(review__relationship__mentee__scheme_id=scheme_id)
    if relationship_id is not None:
        scope &= Q(review__relationship_id=relationship_id)
    scores: dict[int, dict[str, list[int]]] = {pk: defaultdict(list) for pk in review_ids}
    for review_id, domain, score in (
        GoalScore.objects.filter(scope)
        .annotate(
            rank=Window(
                DenseRank(),
                partition_by=[F("review__relationship_id")],
                order_by=[F("review__held_on").desc(), F("review_id").desc()],
            )
        )
        .filter(rank__lte=2)
        .values_list("review_id", "domain", "score")
    ):
        if review_id in scores:
            scores[review_id][domain].append(score)
    return scores


def _add_pauses(facts: ById, pauses: QuerySet[Pause]) -> None:
    """Every pause of each relationship, past or current."""
    for rel, starts_on, ends_on in pauses.values_list("relationship_id", "starts_on", "ends_on"):
        if (r := facts.get(rel)) is not None:
            r.pauses.append((starts_on, ends_on))
