"""What was planned and not yet answered: a planned meeting whose outcome is not recorded.

A plan still waiting after its day is not a missed meeting (nobody has said it was missed):
it is a gap in the record, raised after the scheme's days so the mentor can answer "Did it
happen?" in one tap. Once answered, the plan is a logged meeting and this clears.
"""

import datetime

from flags.models import Kind
from flags.rules.facts import Finding, RelationshipFacts
from flags.rules.wording import format_day, plural


def plan_outcome_not_recorded(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """The oldest planned meeting still waiting for its outcome is more than the scheme's
    ``plan_outcome_days`` past its day. Resolves when it is answered (held, not held, or
    cancelled); never counted as a missed meeting."""
    on = r.oldest_unanswered_plan_on
    if on is None:
        return None
    days = (today - on).days
    limit = r.thresholds.plan_outcome_days
    if days <= limit:
        return None
    evidence = (
        f"The meeting planned for {format_day(on)} has had no outcome recorded for "
        f"{plural(days, 'day')} (flagged after {limit}). It is not counted as missed."
    )
    if (more := r.unanswered_plans - 1) > 0:
        are = "is" if more == 1 else "are"
        evidence += f" {plural(more, 'later planned meeting')} {are} waiting for one too."
    return Finding(
        Kind.PLAN_OUTCOME_NOT_RECORDED,
        r.id,
        evidence,
        {
            "planned_on": on.isoformat(),
            "days_waiting": days,
            "threshold_days": limit,
            "unanswered": r.unanswered_plans,
        },
    )
