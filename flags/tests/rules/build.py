"""Hand-built facts for the rules' tests: no database, time fixed at ``TODAY``.

Each test sets only the facts its rule reads; the sweep's tests (``flags/tests/test_sweep*``)
check that the database is read into these facts as the rules expect.
"""

import datetime
from typing import Any

from flags.rules.facts import (
    HELD_WINDOW,
    WINDOW_CONTACTS,
    Contact,
    ReferralFacts,
    RelationshipFacts,
    ReviewFacts,
    Thresholds,
)
from mentees.models import Referral
from relationships.models import Driving, Meeting, Party, Relationship

TODAY = datetime.date(2026, 3, 2)


def day(n: int) -> datetime.date:
    """``n`` days before TODAY."""
    return TODAY - datetime.timedelta(days=n)


def days(*days_ago: int) -> list[datetime.date]:
    """The days ``days_ago`` before TODAY, newest first, as the facts hold them."""
    return [day(n) for n in sorted(days_ago)]


def relationship(
    *,
    matched: int = 60,
    status: str = Relationship.Status.ACTIVE,
    thresholds: Thresholds | None = None,
    **facts: Any,
) -> RelationshipFacts:
    """An open relationship matched ``matched`` days ago, on the default thresholds."""
    return RelationshipFacts(
        id=1,
        status=status,
        matched_on=day(matched),
        thresholds=thresholds or Thresholds(),
        **facts,
    )


def contacts(
    *days_ago: int,
    outcome: str = Meeting.Outcome.MET,
    initiated_by: str = Party.MENTEE,
    purpose: str = Meeting.Purpose.GOALS,
) -> list[Contact]:
    """Logged meetings on the days ``days_ago`` before TODAY, all alike, newest first."""
    return [Contact(d, outcome, initiated_by, purpose) for d in days(*days_ago)]


def newest_first(*groups: list[Contact]) -> list[Contact]:
    """Several groups of ``contacts`` merged, newest first."""
    return sorted((c for g in groups for c in g), key=lambda c: c.on, reverse=True)


def logged(*groups: list[Contact]) -> dict[str, Any]:
    """The facts ``relationship`` takes for these logged meetings, as the sweep loads them:
    the last eight of any outcome in ``recent``, and the last eight held (day, purpose, who
    started it) in the ``recent_held`` lists."""
    every = newest_first(*groups)
    held = [c for c in every if c.outcome == Meeting.Outcome.MET][:HELD_WINDOW]
    return {
        "recent": every[:WINDOW_CONTACTS],
        "recent_held": [c.on for c in held],
        "recent_held_purposes": [c.purpose for c in held],
        "recent_held_initiated_by": [c.initiated_by for c in held],
    }


def review(
    held: int,
    scores: dict[str, float] | None = None,
    *,
    mentor_driving: str = Driving.SHARED,
    mentee_driving: str = Driving.SHARED,
    steps_total: int = 0,
    steps_owned_by_mentee: int = 0,
) -> ReviewFacts:
    """A review held ``held`` days before TODAY."""
    return ReviewFacts(
        held_on=day(held),
        mentee_driving=mentee_driving,
        mentor_driving=mentor_driving,
        steps_total=steps_total,
        steps_owned_by_mentee=steps_owned_by_mentee,
        scores=scores or {},
    )


def referral(
    *,
    referred: int = 40,
    waiting: int | None = None,
    last_attempt: int | None = None,
    thresholds: Thresholds | None = None,
) -> ReferralFacts:
    """A referral not yet matched; ``waiting`` days awaiting a match when given."""
    return ReferralFacts(
        id=2,
        status=Referral.Status.AWAITING_MATCH if waiting is not None else Referral.Status.REFERRED,
        referred_on=day(referred),
        waiting_since=day(waiting) if waiting is not None else None,
        last_attempt_on=day(last_attempt) if last_attempt is not None else None,
        thresholds=thresholds or Thresholds(),
    )
