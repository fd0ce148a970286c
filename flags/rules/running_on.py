"""Dependency: the relationship runs on. Meetings carry on long after it should be ending,
or grow more frequent while progress stands still."""

import datetime

from flags.models import Kind
from flags.rules.facts import ENDING, RISING_WEEKS, Finding, RelationshipFacts
from flags.rules.wording import format_day, format_score, plural

PLANNED_END = "the planned end passed"


def _reasons_to_end(r: RelationshipFacts, today: datetime.date) -> list[tuple[datetime.date, str]]:
    """Each reason the relationship should be ending by ``today``, with the day it arose."""
    t = r.thresholds
    reasons: list[tuple[datetime.date, str]] = []
    # An agreed ending answers "no ending plan" for the goals and the cap; running on past
    # the planned end itself is the overrun an ending plan was meant to prevent.
    no_ending_plan = r.status != ENDING and not r.exit_plan.strip()
    if no_ending_plan and r.goals_total and not r.goals_open and r.last_goal_achieved_on:
        achieved = (
            "the one goal was achieved"
            if r.goals_total == 1
            else f"all {r.goals_total} goals were achieved"
        )
        reasons.append((r.last_goal_achieved_on, achieved))
    if no_ending_plan and t.cap_meetings and r.cap_reached_on:
        reasons.append(
            (r.cap_reached_on, f"the scheme's cap of {t.cap_meetings} meetings was reached")
        )
    if no_ending_plan and t.cap_weeks:
        reasons.append(
            (
                r.matched_on + datetime.timedelta(weeks=t.cap_weeks),
                f"the scheme's cap of {t.cap_weeks} weeks passed",
            )
        )
    if r.planned_end_on:
        reasons.append((r.planned_end_on, PLANNED_END))
    return [(since, why) for since, why in reasons if since <= today]


def too_long(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """All goals achieved, or the scheme's cap or the planned end passed, yet meetings carry
    on for more than N weeks with no ending plan."""
    if not r.recent_held:
        return None
    reasons = _reasons_to_end(r, today)
    if not reasons:
        return None
    since, why = min(reasons)
    last = r.recent_held[0]
    weeks = (last - since).days // 7
    limit = r.thresholds.too_long_weeks
    if (last - since).days <= 7 * limit:
        return None
    if why == PLANNED_END:
        evidence = (
            f"The agreed ending was planned for {format_day(since)}, yet meetings carried on "
            f"for {plural(weeks, 'week')} after it."
        )
    else:
        evidence = (
            f"On {format_day(since)} {why}, yet meetings carried on for "
            f"{plural(weeks, 'week')} after, with no ending plan."
        )
    return Finding(
        Kind.TOO_LONG,
        r.id,
        evidence,
        {"since": since.isoformat(), "weeks_after": weeks, "threshold_weeks": limit},
    )


def _mean(scores: dict[str, float]) -> float:
    return sum(scores.values()) / len(scores)


def contact_rising(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """Contact rising over the last eight weeks while goal scores are flat: more than half
    as many meetings again in the last four weeks as in the four before (and at least two
    more), while the mean goal score did not rise between the last two reviews."""
    before, recent = r.held_weeks_before, r.held_recent_weeks
    if not (recent >= before + 2 and 2 * recent >= 3 * before):
        return None
    if len(r.reviews) < 2 or not r.reviews[0].scores or not r.reviews[1].scores:
        return None
    latest, previous = _mean(r.reviews[0].scores), _mean(r.reviews[1].scores)
    if latest > previous:
        return None
    return Finding(
        Kind.CONTACT_RISING,
        r.id,
        f"{plural(recent, 'meeting')} held in the last {RISING_WEEKS} weeks against "
        f"{before} in the {RISING_WEEKS} before, while the mean goal score went from "
        f"{format_score(round(previous, 1))} to {format_score(round(latest, 1))} between the "
        f"last two reviews.",
        {"recent": recent, "before": before, "score_before": previous, "score_latest": latest},
    )
