"""A flag whose clock the go-live date started says so, and never presents that date as an
event of the record's own (the referral, the last meeting, the review's due date, the
match): "none since 2 Oct 2026, when Tandem began watching". One test per clamped clock, on
hand-built facts at a fixed date, and the same rules without a go-live date worded as before."""

import dataclasses

from flags.models import Flag, Kind
from flags.rules.facts import Finding, ReferralFacts
from flags.rules.watch import referral_findings, relationship_findings
from flags.tests.rules.build import TODAY, day, days, referral, relationship

YEAR = 365
GO_LIVE = 30  # days before TODAY (2 Mar 2026): 31 Jan 2026
GO_LIVE_DAY = "31 Jan 2026"
WATCHING = f"{GO_LIVE_DAY}, when Tandem began watching"


def _live(f: ReferralFacts) -> ReferralFacts:
    return dataclasses.replace(f, watched_from=day(GO_LIVE))


def _one(found: list[Finding], kind: str) -> str:
    (evidence,) = [f.evidence for f in found if f.kind == kind]
    assert len(evidence) <= Flag._meta.get_field("evidence").max_length
    return evidence


def test_waiting_for_a_match_since_before_go_live():
    """Waiting since years before: waiting counted from the go-live date, said as such."""
    f = _live(referral(referred=4 * YEAR, waiting=3 * YEAR, last_attempt=1))
    evidence = _one(referral_findings(f, TODAY), Kind.WAITING_FOR_MATCH)
    assert evidence == f"Waiting for a match for 30 days, since {WATCHING} (flagged after 21)."


def test_no_contact_attempt_since_a_referral_before_go_live():
    """Referred years before, no attempt since: "none since <go-live>, when Tandem began
    watching", not "since the referral on <go-live>"."""
    f = _live(referral(referred=4 * YEAR, last_attempt=3 * YEAR))
    evidence = _one(referral_findings(f, TODAY), Kind.NO_CONTACT_ATTEMPT)
    assert evidence == (
        f"No contact attempt logged for 30 days: none since {WATCHING} (flagged after 10)."
    )
    assert "referral on" not in evidence
    assert evidence.count("Tandem began watching") == 1


def test_no_contact_attempt_without_a_go_live_date_names_the_referral():
    """With no go-live date the referral is the clock's start, and named as such."""
    f = referral(referred=20)
    evidence = _one(referral_findings(f, TODAY), Kind.NO_CONTACT_ATTEMPT)
    assert evidence.startswith("No contact attempt logged for 20 days: none since the referral on")


def test_no_first_meeting_after_a_match_before_go_live():
    """Matched a year before, never met: not "Matched 30 days ago", but no meeting since the
    go-live date."""
    r = relationship(matched=YEAR, watched_from=day(GO_LIVE))
    evidence = _one(relationship_findings(r, TODAY), Kind.NO_FIRST_MEETING)
    assert evidence == f"No meeting held for 30 days: none since {WATCHING} (flagged after 14)."


def test_silence_after_a_last_meeting_before_go_live():
    """Last met a year before: "none since <go-live>", not "the last was on <go-live>"."""
    r = relationship(
        matched=2 * YEAR, recent_held=days(YEAR), held_count=1, watched_from=day(GO_LIVE)
    )
    evidence = _one(relationship_findings(r, TODAY), Kind.SILENCE)
    assert evidence == (
        f"No meeting held for 30 days: none since {WATCHING}. The scheme expects one every 7 days."
    )


def test_a_review_due_before_go_live():
    """A review due a year before: due by the go-live date, not "due on" it."""
    r = relationship(
        matched=2 * YEAR,
        next_review_on=day(YEAR),
        recent_held=days(3),
        held_count=1,
        watched_from=day(GO_LIVE),
    )
    evidence = _one(relationship_findings(r, TODAY), Kind.REVIEW_OVERDUE)
    assert evidence == f"The review was due by {WATCHING}: 30 days overdue (flagged after 14)."
    assert "due on" not in evidence
