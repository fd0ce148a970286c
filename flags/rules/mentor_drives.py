"""Dependency: the mentor leads. The mentor starts nearly every contact, or sees the lead as
shared while the mentee sees it as the mentor's."""

import datetime

from flags.models import Kind
from flags.rules.facts import MENTOR, MENTOR_LED, WINDOW_CONTACTS, Finding, RelationshipFacts
from flags.rules.wording import format_day


def mentor_driving(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """The mentor initiated at least P% of the last eight contacts held. A meeting the mentee
    missed, or one cancelled, is not a contact anyone started (a plan answered "did not turn
    up" is logged as started by the mentor), so it is left out rather than counted against
    the mentor."""
    contacts = r.recent_held_initiated_by[:WINDOW_CONTACTS]
    if len(contacts) < WINDOW_CONTACTS:
        return None
    by_mentor = sum(1 for by in contacts if by == MENTOR)
    share = 100 * by_mentor / len(contacts)
    limit = r.thresholds.mentor_led_percent
    if share < limit:
        return None
    return Finding(
        Kind.MENTOR_DRIVING,
        r.id,
        f"The mentor initiated {by_mentor} of the last {len(contacts)} contacts held "
        f"({share:.0f}%; flagged at {limit}%).",
        {"by_mentor": by_mentor, "contacts": len(contacts), "threshold_percent": limit},
    )


DRIVING_WORDS = {"mentee_led": "mentee-led", "shared": "shared", "mentor_led": "mentor-led"}


def driving_gap(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """At the latest review the mentor said shared or mentee-led; the mentee said mentor-led."""
    if not r.reviews:
        return None
    latest = r.reviews[0]
    if latest.mentee_driving != MENTOR_LED or latest.mentor_driving == MENTOR_LED:
        return None
    return Finding(
        Kind.DRIVING_GAP,
        r.id,
        f"At the review on {format_day(latest.held_on)} the mentor said the relationship is "
        f"{DRIVING_WORDS.get(latest.mentor_driving, latest.mentor_driving)}; the mentee said "
        f"it is mentor-led.",
        {"mentor_view": latest.mentor_driving, "mentee_view": latest.mentee_driving},
    )
