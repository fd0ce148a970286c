"""Stalling after a start: meetings stop, drift apart or are missed, reviews lapse, and goal
scores stand still."""

import datetime
import itertools
from collections.abc import Sequence

from flags.models import Kind
from flags.rules.facts import (
    DID_NOT_ATTEND,
    TOP_SCORE,
    WINDOW_ARRANGED,
    WINDOW_GAPS,
    Finding,
    RelationshipFacts,
)
from flags.rules.wording import format_day, format_score, plural
from mentees.models import NeedDomain


def silence(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """No meeting held for more than twice the scheme's expected days between contacts,
    measured against what was arranged:

    - a plan still waiting, on ``today`` or later and no more than the scheme's expected days
      between contacts from today (the next meeting is arranged soon): not silent, however
      long since the last meeting (growing gaps and the coordinator's review catch drift). A
      plan further ahead keeps nothing quiet: weeks more without a meeting is the silence
      itself; the evidence names the plan's day;
    - a plan whose day has passed with no answer yet: the silence counts from that plan's
      day, not from the last meeting held, when it is the later of the two (the meeting may
      well have happened; "outcome not recorded" asks), and the evidence says so;
    - an answered plan is a logged meeting: held, it ends the silence like any meeting held;
      not held (the mentee did not turn up, or it was cancelled), it does not.

    Paused days never count. Before any meeting is held this stands down: that is
    ``no_first_meeting``."""
    if not r.recent_held:
        return None  # never met: that is ``no_first_meeting``
    expected = r.thresholds.expected_contact_days
    ahead = r.next_plan_on
    if ahead is not None and (ahead - today).days <= expected:
        return None  # the next meeting is arranged, and soon
    last = r.recent_held[0]
    plan = r.last_unanswered_plan_on
    since = plan if plan is not None and plan > last else last
    paused = r.paused_days_between(since, today)
    days = (today - since).days - paused
    if days <= 2 * expected:
        return None
    not_counting = f", not counting {plural(paused, 'day')} paused" if paused else ""
    if since == last:
        what = f"No meeting held for {plural(days, 'day')}{not_counting}: the last was on "
        what += f"{format_day(last)}."
    else:
        what = (
            f"No meeting recorded for {plural(days, 'day')}{not_counting} since the one "
            f"planned for {format_day(since)}, whose outcome is not recorded; the last meeting "
            f"held was on {format_day(last)}."
        )
    what += f" The scheme expects one every {plural(expected, 'day')}."
    figures: dict[str, object] = {"days_since_meeting": days, "expected_days": expected}
    if since != last:
        figures["counted_from_plan_on"] = since.isoformat()
    if ahead is not None:
        what += f" The next planned meeting is on {format_day(ahead)}."
        figures["next_plan_on"] = ahead.isoformat()
    return Finding(Kind.SILENCE, r.id, what, figures)


def gaps_growing(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """The last three gaps between meetings each longer than the one before, and the latest
    longer than the expected interval. Paused days do not count in a gap."""
    held = r.recent_held[:WINDOW_GAPS]
    if len(held) < WINDOW_GAPS:
        return None
    newest_first = [
        (held[i] - held[i + 1]).days - r.paused_days_between(held[i + 1], held[i])
        for i in range(WINDOW_GAPS - 1)
    ]
    gaps = list(reversed(newest_first))  # oldest gap first
    expected = r.thresholds.expected_contact_days
    if not all(a < b for a, b in itertools.pairwise(gaps)) or gaps[-1] <= expected:
        return None
    return Finding(
        Kind.GAPS_GROWING,
        r.id,
        f"The last three gaps between meetings grew: {gaps[0]}, {gaps[1]} then "
        f"{plural(gaps[2], 'day')} (the scheme expects {expected}).",
        {"gaps_days": gaps, "expected_days": expected},
    )


def missed_meetings(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """The mentee did not attend M of the last five arranged meetings."""
    arranged = r.recent[:WINDOW_ARRANGED]
    if len(arranged) < WINDOW_ARRANGED:
        return None
    missed = sum(1 for c in arranged if c.outcome == DID_NOT_ATTEND)
    limit = r.thresholds.missed_meetings
    if missed < limit:
        return None
    return Finding(
        Kind.MISSED_MEETINGS,
        r.id,
        f"The mentee did not attend {missed} of the last {WINDOW_ARRANGED} arranged meetings.",
        {"missed": missed, "arranged": WINDOW_ARRANGED, "threshold": limit},
    )


def review_overdue(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """A review overdue by more than N days."""
    if r.next_review_on is None:
        return None
    days = (today - r.next_review_on).days
    limit = r.thresholds.review_overdue_days
    if days <= limit:
        return None
    return Finding(
        Kind.REVIEW_OVERDUE,
        r.id,
        f"The review due on {format_day(r.next_review_on)} is {plural(days, 'day')} overdue "
        f"(flagged after {limit}).",
        {"days_overdue": days, "threshold_days": limit},
    )


def _shared_scores(r: RelationshipFacts) -> list[tuple[str, float, float]] | None:
    """(domain, previous score, latest score) for each domain scored at both of the last two
    reviews; None when there are not two reviews sharing a domain."""
    if len(r.reviews) < 2:
        return None
    latest, previous = r.reviews[0], r.reviews[1]
    domains = sorted(set(latest.scores) & set(previous.scores))
    if not domains:
        return None
    return [(d, previous.scores[d], latest.scores[d]) for d in domains]


def _score_text(rows: Sequence[tuple[str, float, float]]) -> str:
    labels = dict(NeedDomain.choices)
    return ", ".join(f"{labels.get(d, d)} {format_score(b)}" for d, _a, b in rows)


def scores_flat(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """Goal scores unchanged across the last two reviews, with room to rise: a domain scored
    at the top of the scale (``TOP_SCORE``) at both reviews has nowhere to go and is left
    out, so scores all at the top raise nothing; a flat domain below the top, with no other
    domain moving, still does."""
    rows = _shared_scores(r)
    if rows is None or any(a != b for _d, a, b in rows):
        return None
    if all(a >= TOP_SCORE and b >= TOP_SCORE for _d, a, b in rows):
        return None  # at the top: kept there, not stuck
    latest, previous = r.reviews[0], r.reviews[1]
    return Finding(
        Kind.SCORES_FLAT,
        r.id,
        f"Goal scores unchanged between the reviews on {format_day(previous.held_on)} and "
        f"{format_day(latest.held_on)}: {_score_text(rows)}.",
        {"scores": {d: b for d, _a, b in rows}},
    )
