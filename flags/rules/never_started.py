"""Stalling before it started: no first meeting after the match, no contact after release.

While no meeting has been held, a relationship shows one flag that explains it (see
``flags.rules.findings_for_relationship``), so these say what was arranged as well."""

import datetime

from flags.models import Kind
from flags.rules.facts import DID_NOT_ATTEND, Finding, RelationshipFacts
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
    figures: dict[str, object] = {"days_since_match": days, "threshold_days": limit}
    since = f"Matched {plural(days, 'day')} ago{not_counting}, and no meeting held yet"
    if r.matched_on == r.watched_from:  # matched before the go-live date: counted from it
        since = (
            f"No meeting held for {plural(days, 'day')}{not_counting}: none since "
            f"{format_day(r.matched_on)}, when Tandem began watching"
        )
    return Finding(
        Kind.NO_FIRST_MEETING,
        r.id,
        f"{since} (flagged after {limit}).{_what_was_arranged(r, figures)}",
        figures,
    )


def _what_was_arranged(r: RelationshipFacts, figures: dict[str, object]) -> str:
    """What became of the meetings arranged so far, in words (and in ``figures``): this is the
    one flag a relationship that never started shows, so it says what the stood-down rules
    (missed meetings, an outcome not recorded) would have."""
    said = ""
    missed = sum(1 for c in r.recent if c.outcome == DID_NOT_ATTEND)
    cancelled = len(r.recent) - missed
    if missed or cancelled:
        parts = []
        if missed:
            parts.append(f"the mentee did not turn up to {plural(missed, 'meeting')}")
        if cancelled:
            were = "was" if cancelled == 1 else "were"
            parts.append(f"{plural(cancelled, 'meeting')} {were} cancelled")
        said += f" Since the match {' and '.join(parts)}."
        figures.update(missed=missed, cancelled=cancelled)
    if r.last_unanswered_plan_on is not None:
        said += (
            f" The meeting planned for {format_day(r.last_unanswered_plan_on)} has no outcome "
            "recorded yet."
        )
        figures["unanswered_plan_on"] = r.last_unanswered_plan_on.isoformat()
    if r.next_plan_on is not None:
        said += f" A meeting is planned for {format_day(r.next_plan_on)}."
        figures["next_plan_on"] = r.next_plan_on.isoformat()
    return said


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
    never_met = ""
    if not r.held_count and r.last_contact_on is None:
        # The one flag of a relationship that never started: say that too.
        never_met = f" No meeting has been held since the match on {format_day(r.matched_on)}."
    return Finding(
        Kind.NO_CONTACT_AFTER_RELEASE,
        r.id,
        f"Released {plural(days, 'day')} ago, on {format_day(r.released_on)}, and no contact "
        f"since (expected within {limit}).{never_met}",
        {"days_since_release": days, "threshold_days": limit},
    )
