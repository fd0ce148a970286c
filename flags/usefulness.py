"""Is a rule worth its noise? What became of each rule's flags over the last 90 days, so a
scheme can tune its thresholds with evidence.

Counts of flags only: never a name, a relationship or a note. Each flag raised in the window
is counted once in ``raised``, and once in exactly one of the other counts, so they add up to
``raised``. An acknowledged flag is counted by what was done, however it ended since:

- ``acted_on``: acknowledged with an action (supervision booked, review brought forward,
  talked with the mentor, contacted the mentee);
- ``no_action``: acknowledged as needing no action (with why);
- ``not_useful``: dismissed as not a useful flag (with why; this also resolves it by hand).

A flag nobody acknowledged is counted by how it ended:

- ``cleared``: resolved by the sweep, the condition having cleared (it went away by itself);
- ``closed``: ended with its relationship's closure (``CLOSED_WITH_RELATIONSHIP``);
- ``by_hand``: resolved by hand;
- ``still_open``: still open, not yet acknowledged.
"""

import datetime
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from flags.models import Action, Flag, Kind
from flags.services import resolved_with_closure
from flags.threshold_words import threshold_sentences
from schemes.models import Scheme

WINDOW_DAYS = 90

#: Acknowledgements that are not an action taken.
NOT_ACTIONS = (Action.NO_ACTION_NEEDED, Action.NOT_USEFUL)


@dataclass
class RuleCounts:
    raised: int = 0
    acted_on: int = 0
    no_action: int = 0
    not_useful: int = 0
    cleared: int = 0
    closed: int = 0
    by_hand: int = 0
    still_open: int = 0

    def items(self) -> list[tuple[str, int]]:
        """(what the pages call it, the count), in the pages' order."""
        return [(label, getattr(self, name)) for name, label in COUNT_LABELS.items()]

    def add(self, other: "RuleCounts") -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


#: Each count, as the pages name it.
COUNT_LABELS: dict[str, str] = {
    "raised": "Raised",
    "acted_on": "Acted on",
    "no_action": "No action needed",
    "not_useful": "Not useful",
    "cleared": "Cleared by itself",
    "closed": "Ended with the relationship",
    "by_hand": "Resolved by hand",
    "still_open": "Still open",
}

_ACKNOWLEDGED = Q(acknowledged_at__isnull=False)
_ENDED_UNSEEN = Q(acknowledged_at__isnull=True, status=Flag.Status.RESOLVED)
_CLOSED = resolved_with_closure()

_AGGREGATES = {
    "raised": Count("pk"),
    "acted_on": Count("pk", filter=_ACKNOWLEDGED & ~Q(action__in=NOT_ACTIONS)),
    "no_action": Count("pk", filter=_ACKNOWLEDGED & Q(action=Action.NO_ACTION_NEEDED)),
    "not_useful": Count("pk", filter=_ACKNOWLEDGED & Q(action=Action.NOT_USEFUL)),
    "cleared": Count("pk", filter=_ENDED_UNSEEN & Q(resolved_by__isnull=True) & ~_CLOSED),
    "closed": Count("pk", filter=_ENDED_UNSEEN & _CLOSED),
    "by_hand": Count("pk", filter=_ENDED_UNSEEN & Q(resolved_by__isnull=False) & ~_CLOSED),
    "still_open": Count(
        "pk", filter=Q(acknowledged_at__isnull=True) & ~Q(status=Flag.Status.RESOLVED)
    ),
}


def window_start(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=WINDOW_DAYS)


def rule_counts(
    flags: QuerySet[Flag], *, since: datetime.datetime
) -> dict[tuple[str, int], RuleCounts]:
    """(kind, scheme id) → what became of the flags of that kind raised since ``since``, for
    the flags in ``flags`` (already scoped to the reader), in one grouped query."""
    rows = (
        flags.filter(raised_at__gte=since)
        .order_by()
        .values("kind", "scheme_id")
        .annotate(**_AGGREGATES)
    )
    found: dict[tuple[str, int], RuleCounts] = {}
    for row in rows:
        values: dict[str, Any] = dict(row)
        found[values["kind"], values["scheme_id"]] = RuleCounts(
            **{name: values[name] for name in _AGGREGATES}
        )
    return found


def counts_by_kind(by_kind_and_scheme: dict[tuple[str, int], RuleCounts]) -> dict[str, RuleCounts]:
    """Every kind of flag (those never raised too) → its counts over the schemes."""
    totals = {kind: RuleCounts() for kind in Kind.values}
    for (kind, _scheme), counts in by_kind_and_scheme.items():
        totals.setdefault(kind, RuleCounts()).add(counts)
    return totals


# --- What each rule means, and its threshold in each scheme ----------------------------------

#: What raises each kind of flag, in words (docs/flags.md has the table with the defaults).
MEANING: dict[str, str] = {
    Kind.NO_FIRST_MEETING: "Matched, and no meeting held some days after the match (paused "
    "days not counted). Until a first meeting, this is the one flag that explains it: the "
    "review, silence and dependency rules wait for a start.",
    Kind.NO_CONTACT_AFTER_RELEASE: "The mentee was released after the match, and no meeting "
    "has been held within some days of the release.",
    Kind.SILENCE: "No meeting held for more than twice the scheme's usual days between "
    "contacts (paused days not counted). A meeting planned soon (within the usual days "
    "between contacts from today) means no silence; one planned further ahead does not. A "
    "planned one whose outcome is not recorded counts as the last arranged.",
    Kind.GAPS_GROWING: "The last three gaps between meetings each longer than the one before, "
    "the latest longer than the usual days between contacts.",
    Kind.MISSED_MEETINGS: "The mentee did not attend several of the last five arranged meetings.",
    Kind.REVIEW_OVERDUE: "The next review fell due more than some days ago.",
    Kind.SCORES_FLAT: "Every goal domain scored at both of the last two reviews scored the "
    "same at each, below the top of the scale.",
    Kind.WAITING_FOR_MATCH: "A referral has been awaiting a match for more than some days.",
    Kind.NO_CONTACT_ATTEMPT: "A referral not yet matched has had no contact attempt for some days.",
    Kind.OFFER_NOT_ANSWERED: "The latest offer of a person waiting for a match passed its "
    "deadline unanswered.",
    Kind.PLAN_OUTCOME_NOT_RECORDED: "A planned meeting's time passed some days ago and nobody "
    "said whether it happened. It is never counted as a missed meeting.",
    Kind.MENTOR_DRIVING: "The mentor started most of the last eight meetings held "
    "(missed and cancelled meetings left out).",
    Kind.DONE_FOR: "Practical help done for the mentee in much of the last six meetings held.",
    Kind.TOO_LONG: "Meetings carried on for weeks after the goals were met or the scheme's cap "
    "passed, with no ending plan.",
    Kind.CONTACT_RISING: "Meetings rising over the last four weeks while the goal scores did "
    "not rise.",
    Kind.MENTEE_STEPS_FALLING: "The share of steps owned by the mentee fell between the last "
    "two reviews.",
    Kind.DRIVING_GAP: "At the latest review the mentor and the mentee saw who leads differently.",
}

#: The scheme's settings each rule reads (``Scheme`` fields; their help text says what each
#: means). A rule with none has fixed thresholds.
THRESHOLD_FIELDS: dict[str, tuple[str, ...]] = {
    Kind.NO_FIRST_MEETING: ("flag_no_first_meeting_days",),
    Kind.NO_CONTACT_AFTER_RELEASE: ("flag_no_contact_after_release_days",),
    Kind.SILENCE: ("expected_contact_days",),
    Kind.GAPS_GROWING: ("expected_contact_days",),
    Kind.MISSED_MEETINGS: ("flag_missed_meetings",),
    Kind.REVIEW_OVERDUE: ("flag_review_overdue_days",),
    Kind.WAITING_FOR_MATCH: ("flag_waiting_for_match_days",),
    Kind.NO_CONTACT_ATTEMPT: ("flag_no_contact_attempt_days",),
    Kind.OFFER_NOT_ANSWERED: ("offer_open_days",),
    Kind.PLAN_OUTCOME_NOT_RECORDED: ("flag_plan_outcome_days",),
    Kind.MENTOR_DRIVING: ("flag_mentor_led_percent",),
    Kind.DONE_FOR: ("flag_done_for_percent",),
    Kind.TOO_LONG: ("flag_too_long_weeks", "cap_meetings", "cap_weeks"),
}


def thresholds_by_scheme(kind: str, schemes: QuerySet[Scheme]) -> list[tuple[Scheme, list[str]]]:
    """Each scheme in ``schemes`` with its thresholds for ``kind``'s rule, each a short
    sentence with its unit (``flags.threshold_words``), in one query."""
    names = THRESHOLD_FIELDS.get(kind, ())
    return [
        (scheme, threshold_sentences(kind, scheme))
        for scheme in schemes.only("pk", "name", *names).order_by("name")
    ]
