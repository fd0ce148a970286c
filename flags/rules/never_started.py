"""Stalling before it started: no first meeting after the match, no contact after release."""

import datetime

from flags.models import Kind
from flags.rules.facts import Finding, RelationshipFacts
from flags.rules.wording import format_day, plural


def no_first_meeting(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """Matched, and no meeting held N days after the match (paused days do not count)."""
    if r.held_count:
        return None
    limit = r.thresholds.no_first_meeting_days
    paused = r.paused_days_between(r.matched_on, today)
    days = (today - r.matched_on).days - paused
    if days <= limit:
        return None
    not_counting = f", not counting {plural(paused, 'day')} paused" if paused else ""
    return Finding(
        Kind.NO_FIRST_MEETING,
        r.id,
        f"Matched {plural(days, 'day')} ago{not_counting}, and no meeting held yet "
        f"(flagged after {limit}).",
        {"days_since_match": days, "threshold_days": limit},
    )


def no_contact_after_release(r: RelationshipFacts, today: datetime.date) -> Finding | None:
    """Released from custody, and no contact within N days of the release date."""
    if r.released_on is None or r.released_on > today or r.released_on < r.matched_on:
        return None  # released before the match: ``no_first_meeting`` covers it
    if r.last_contact_on is not None and r.last_contact_on >= r.released_on:
        return None
    limit = r.thresholds.no_contact_after_release_days
    days = (today - r.released_on).days
    if days <= limit:
        return None
    return Finding(
        Kind.NO_CONTACT_AFTER_RELEASE,
        r.id,
        f"Released {plural(days, 'day')} ago, on {format_day(r.released_on)}, and no contact "
        f"since (expected within {limit}).",
        {"days_since_release": days, "threshold_days": limit},
    )
