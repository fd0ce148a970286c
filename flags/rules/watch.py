"""Imported history stays quiet: nothing before a record's ``watched_from`` counts.

A scheme that moves its spreadsheets into Tandem imports years of history. The watcher began
looking on the scheme's go-live date (``watched_from`` on each imported referral and
relationship), so it takes everything up to that day as known and settled: the sweep hands
the rules the facts as seen from then, never the facts themselves.

- Events before it are dropped: contacts, meetings held, reviews, contact attempts, and a
  release from custody (the relationship's silence and first-meeting rules watch it from the
  go-live date instead).
- Every clock starts no earlier than it: the match, the next review, the start of a wait for a
  match, the referral, an offer's deadline, the day the meeting cap or the last goal was
  reached, the planned end, the day of a plan still waiting for its outcome, and each pause.
- A relationship that met before it and not since is taken as last met on that day, so its
  silence is counted from the go-live date, not from a meeting years ago.
- The last weeks' counts of meetings held are left out while their window reaches back
  before it.

A flag the rule would not have raised as it is on the facts as loaded (its clock, or what it
counted, was moved) says so in its evidence (``noted``).
"""

import dataclasses
import datetime

from flags import rules
from flags.models import Kind
from flags.rules.facts import (
    NOT_RECORDED,
    RISING_WEEKS,
    Finding,
    ReferralFacts,
    RelationshipFacts,
)
from flags.rules.wording import format_day


def _from(day: datetime.date | None, start: datetime.date) -> datetime.date | None:
    """A clock's start, no earlier than ``start``."""
    return None if day is None else max(day, start)


def _since(day: datetime.date | None, start: datetime.date) -> datetime.date | None:
    """An event, dropped if it came before ``start``."""
    return None if day is None or day < start else day


def watched_relationship(r: RelationshipFacts, today: datetime.date) -> RelationshipFacts:
    """The relationship's facts as the watcher may read them: nothing before ``watched_from``."""
    start = r.watched_from
    if start is None:
        return r
    since = sum(1 for d in r.recent_held if d >= start)  # newest first: a leading run
    held, purposes = r.recent_held[:since], r.recent_held_purposes[:since]
    initiated_by = r.recent_held_initiated_by[:since]
    if r.recent_held and not held:
        # Met before the go-live date, not since: silence counts from that day.
        held, purposes, initiated_by = [start], [NOT_RECORDED], [""]
    window_start = today - datetime.timedelta(weeks=2 * RISING_WEEKS)
    counts_reach_back = window_start < start
    return dataclasses.replace(
        r,
        matched_on=max(r.matched_on, start),
        next_review_on=_from(r.next_review_on, start),
        released_on=_since(r.released_on, start),
        planned_end_on=_from(r.planned_end_on, start),
        recent=[c for c in r.recent if c.on >= start],
        recent_held=held,
        recent_held_purposes=purposes,
        recent_held_initiated_by=initiated_by,
        last_contact_on=_since(r.last_contact_on, start),
        cap_reached_on=_from(r.cap_reached_on, start),
        held_recent_weeks=0 if counts_reach_back else r.held_recent_weeks,
        held_weeks_before=0 if counts_reach_back else r.held_weeks_before,
        last_goal_achieved_on=_from(r.last_goal_achieved_on, start),
        last_unanswered_plan_on=_from(r.last_unanswered_plan_on, start),
        oldest_unanswered_plan_on=_from(r.oldest_unanswered_plan_on, start),
        reviews=[review for review in r.reviews if review.held_on >= start],
        pauses=[
            (max(began, start), ended)
            for began, ended in r.pauses
            if ended is None or ended > start
        ],
    )


def watched_referral(f: ReferralFacts) -> ReferralFacts:
    """The referral's facts as the watcher may read them: nothing before ``watched_from``."""
    start = f.watched_from
    if start is None:
        return f
    return dataclasses.replace(
        f,
        referred_on=max(f.referred_on, start),
        waiting_since=_from(f.waiting_since, start),
        last_attempt_on=_since(f.last_attempt_on, start),
        offer_due_on=_from(f.offer_due_on, start),
    )


def relationship_findings(r: RelationshipFacts, today: datetime.date) -> list[Finding]:
    """Every relationship rule that holds on the facts as watched (``noted``)."""
    seen = watched_relationship(r, today)
    found = rules.findings_for_relationship(seen, today)
    if seen == r or r.watched_from is None:
        return found
    return noted(found, rules.findings_for_relationship(r, today), r.watched_from)


def referral_findings(f: ReferralFacts, today: datetime.date) -> list[Finding]:
    """Every referral rule that holds on the facts as watched (``noted``)."""
    seen = watched_referral(f)
    found = rules.findings_for_referral(seen, today)
    if seen == f or f.watched_from is None:
        return found
    return noted(found, rules.findings_for_referral(f, today), f.watched_from)


def noted(found: list[Finding], unwatched: list[Finding], start: datetime.date) -> list[Finding]:
    """The findings, each saying in its evidence that it was counted from the go-live date
    (``start``) when it is not what the rule finds on the facts as loaded (``unwatched``):
    its clock, or what it counted, was moved."""
    return [f if f in unwatched else _from_go_live(f, start) for f in found]


def _from_go_live(f: Finding, start: datetime.date) -> Finding:
    """The finding saying its clock started on the go-live date: in place of the date it
    names, when its words name it as an event (the last meeting, the review's due date), or
    in a sentence of its own. A rule that says so itself (``flags.rules.referrals``,
    ``no_first_meeting``) is left as it is."""
    if BEGAN_WATCHING in f.evidence:
        return f
    day = format_day(start)
    evidence = f.evidence
    for old, new in _AS_EVENT.get(f.kind, ()):
        evidence = evidence.replace(old.format(day=day), new.format(day=day))
    if evidence == f.evidence:
        evidence = f"{evidence} Counted from {day}, {BEGAN_WATCHING}."
    return dataclasses.replace(f, evidence=evidence)


BEGAN_WATCHING = "when Tandem began watching"

#: The words of a rule that present the go-live date as an event (``{day}``), and what to say
#: instead, for the clocks started on it whose rule does not know about it.
_AS_EVENT: dict[str, tuple[tuple[str, str], ...]] = {
    Kind.SILENCE: (("the last was on {day}.", f"none since {{day}}, {BEGAN_WATCHING}."),),
    Kind.REVIEW_OVERDUE: (
        ("The review due on {day} is ", f"The review was due by {{day}}, {BEGAN_WATCHING}: "),
    ),
}
