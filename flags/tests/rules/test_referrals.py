"""Waiting long for a match and no recent contact attempt, on hand-built facts (no
database)."""

from flags.models import Kind, Severity
from flags.rules.facts import Thresholds
from flags.rules.referrals import no_contact_attempt, waiting_for_match
from flags.tests.rules.build import TODAY, referral

# --- Waiting long for a match ---------------------------------------------------------------


def test_waiting_for_match_is_raised_the_day_after_the_threshold():
    """Awaiting a match for 22 days: flagged (the default allows 21)."""
    finding = waiting_for_match(referral(waiting=22), TODAY)
    assert finding is not None
    assert finding.kind == Kind.WAITING_FOR_MATCH and finding.target_id == 2
    assert finding.evidence == (
        "Waiting for a match for 22 days, since 8 Feb 2026 (flagged after 21)."
    )
    assert finding.figures == {"days_waiting": 22, "threshold_days": 21}
    assert finding.severity == Severity.MEDIUM


def test_waiting_for_match_is_not_raised_on_the_threshold_day_nor_before_awaiting_a_match():
    """Awaiting a match for exactly 21 days, or still being assessed: no flag."""
    assert waiting_for_match(referral(waiting=21), TODAY) is None
    assert waiting_for_match(referral(referred=90), TODAY) is None


def test_waiting_for_match_follows_the_schemes_threshold():
    """A scheme allowing 7 days flags 8."""
    r = referral(waiting=8, thresholds=Thresholds(waiting_for_match_days=7))
    finding = waiting_for_match(r, TODAY)
    assert finding is not None
    assert (
        finding.evidence == "Waiting for a match for 8 days, since 22 Feb 2026 (flagged after 7)."
    )


# --- No recent contact attempt --------------------------------------------------------------


def test_no_contact_attempt_counts_from_the_referral_when_none_was_made():
    """Referred 11 days ago and never tried: flagged (the default allows 10)."""
    finding = no_contact_attempt(referral(referred=11), TODAY)
    assert finding is not None
    assert finding.kind == Kind.NO_CONTACT_ATTEMPT
    assert finding.evidence == (
        "No contact attempt logged for 11 days: none since the referral on 19 Feb 2026 "
        "(flagged after 10)."
    )
    assert finding.figures == {"days_since_attempt": 11, "threshold_days": 10}
    assert finding.severity == Severity.MEDIUM


def test_no_contact_attempt_counts_from_the_last_attempt():
    """Referred long ago, last tried 11 days ago: flagged, naming the last attempt; tried 10
    days ago, or today: not flagged."""
    finding = no_contact_attempt(referral(referred=60, last_attempt=11), TODAY)
    assert finding is not None
    assert finding.evidence == (
        "No contact attempt logged for 11 days: the last was on 19 Feb 2026 (flagged after 10)."
    )
    assert no_contact_attempt(referral(referred=60, last_attempt=10), TODAY) is None
    assert no_contact_attempt(referral(referred=60, last_attempt=0), TODAY) is None


def test_no_contact_attempt_is_not_raised_on_the_threshold_day():
    """Referred exactly 10 days ago and not yet tried: no flag."""
    assert no_contact_attempt(referral(referred=10), TODAY) is None
