"""Stalling before a match: a referral waits long for a mentor, nobody tries to reach the
person, or a mentor leaves the offer of a match unanswered past its deadline."""

import datetime

from flags.models import Kind
from flags.rules.facts import Finding, ReferralFacts
from flags.rules.wording import format_day, plural

AWAITING_MATCH = "awaiting_match"  # the referral's status while it waits for a match


def _began_watching(f: ReferralFacts, day: datetime.date) -> str:
    """``, when Tandem began watching`` when the clock started on the go-live date (the
    referral's history before it is not read: ``flags.rules.watch``), else nothing."""
    return ", when Tandem began watching" if day == f.watched_from else ""


def waiting_for_match(f: ReferralFacts, today: datetime.date) -> Finding | None:
    """A referral waiting for a match for more than N days."""
    if f.waiting_since is None:
        return None
    days = (today - f.waiting_since).days
    limit = f.thresholds.waiting_for_match_days
    if days <= limit:
        return None
    return Finding(
        Kind.WAITING_FOR_MATCH,
        f.id,
        f"Waiting for a match for {plural(days, 'day')}, since {format_day(f.waiting_since)}"
        f"{_began_watching(f, f.waiting_since)} (flagged after {limit}).",
        {"days_waiting": days, "threshold_days": limit},
    )


def no_contact_attempt(f: ReferralFacts, today: datetime.date) -> Finding | None:
    """A referral not yet matched with no contact attempt logged in N days."""
    since = f.last_attempt_on or f.referred_on
    days = (today - since).days
    limit = f.thresholds.no_contact_attempt_days
    if days <= limit:
        return None
    if f.last_attempt_on:
        what = f"the last was on {format_day(f.last_attempt_on)}"
    elif f.referred_on == f.watched_from:  # referred before the go-live date: counted from it
        what = f"none since {format_day(f.referred_on)}, when Tandem began watching"
    else:
        what = f"none since the referral on {format_day(f.referred_on)}"
    return Finding(
        Kind.NO_CONTACT_ATTEMPT,
        f.id,
        f"No contact attempt logged for {plural(days, 'day')}: {what} (flagged after {limit}).",
        {"days_since_attempt": days, "threshold_days": limit},
    )


def offer_not_answered(f: ReferralFacts, today: datetime.date) -> Finding | None:
    """The person's latest offer of a match was not answered by its deadline (it is still
    pending, or lapsed with no offer since). Cleared by a new offer or by the match."""
    if f.status != AWAITING_MATCH or f.offer_due_on is None:
        return None
    days = (today - f.offer_due_on).days
    if days <= 0:
        return None
    return Finding(
        Kind.OFFER_NOT_ANSWERED,
        f.id,
        f"The offer of a match was not answered by its deadline, {format_day(f.offer_due_on)} "
        f"({plural(days, 'day')} ago): offer another mentor.",
        {"days_past_deadline": days},
    )
