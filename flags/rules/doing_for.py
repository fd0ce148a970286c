"""Dependency: the mentor does things for the mentee. Practical help done *for* rather than
*with* them, and the mentee owning a smaller share of the next steps."""

import datetime

from flags.models import Kind
from flags.rules.facts import HELP_FOR, NOT_RECORDED, WINDOW_HELD, Finding, RelationshipFacts
from flags.rules.wording import format_day


def done_for(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """Practical help done *for* the mentee in at least P% of the last six meetings held
    whose purpose is recorded (an imported meeting may say "not recorded": unknown is not
    counted as help done for them, nor as anything else)."""
    purposes = [p for p in r.recent_held_purposes if p != NOT_RECORDED][:WINDOW_HELD]
    if len(purposes) < WINDOW_HELD:
        return None
    count = sum(1 for p in purposes if p == HELP_FOR)
    limit = r.thresholds.done_for_percent
    if 100 * count / len(purposes) < limit:
        return None
    return Finding(
        Kind.DONE_FOR,
        r.id,
        f"Practical help was done for the mentee, rather than with them, in {count} of the "
        f"last {len(purposes)} meetings.",
        {"done_for": count, "meetings": len(purposes), "threshold_percent": limit},
    )


def mentee_steps_falling(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """The share of steps owned by the mentee fell between the last two reviews."""
    if len(r.reviews) < 2:
        return None
    latest, previous = r.reviews[0], r.reviews[1]
    if not latest.steps_total or not previous.steps_total:
        return None
    was = previous.steps_owned_by_mentee / previous.steps_total
    now = latest.steps_owned_by_mentee / latest.steps_total
    if now >= was:
        return None
    return Finding(
        Kind.MENTEE_STEPS_FALLING,
        r.id,
        f"The mentee owned {previous.steps_owned_by_mentee} of {previous.steps_total} steps "
        f"({was:.0%}) at the review on {format_day(previous.held_on)}, and "
        f"{latest.steps_owned_by_mentee} of {latest.steps_total} ({now:.0%}) at the review on "
        f"{format_day(latest.held_on)}.",
        {"share_before": round(was, 3), "share_latest": round(now, 3)},
    )
