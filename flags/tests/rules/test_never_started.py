"""No first meeting and no contact after release, on hand-built facts (no database)."""

from flags.models import Kind, Severity
from flags.rules.facts import Thresholds
from flags.rules.never_started import no_contact_after_release, no_first_meeting
from flags.tests.rules.build import TODAY, day, relationship

# --- No first meeting -----------------------------------------------------------------------


def test_no_first_meeting_is_raised_the_day_after_the_threshold():
    """Matched 15 days ago with no meeting held: flagged (the default allows 14), with the
    days and the threshold in the evidence and the figures."""
    finding = no_first_meeting(relationship(matched=15), TODAY)
    assert finding is not None
    assert finding.kind == Kind.NO_FIRST_MEETING and finding.target_id == 1
    assert finding.evidence == "Matched 15 days ago, and no meeting held yet (flagged after 14)."
    assert finding.figures == {"days_since_match": 15, "threshold_days": 14}
    assert finding.severity == Severity.HIGH


def test_no_first_meeting_is_not_raised_on_the_threshold_day():
    """Matched exactly 14 days ago: not yet flagged."""
    assert no_first_meeting(relationship(matched=14), TODAY) is None


def test_no_first_meeting_is_not_raised_once_a_meeting_is_held():
    """One meeting held, however long ago the match: no flag."""
    assert no_first_meeting(relationship(matched=90, held_count=1), TODAY) is None


def test_no_first_meeting_does_not_count_paused_days():
    """Matched 20 days ago: paused for 6 or 8 of them leaves 14 or 12 (not flagged); paused
    for 3 leaves 17, flagged, and the evidence says what was not counted."""
    six = relationship(matched=20, pauses=[(day(18), day(12))])
    eight = relationship(matched=20, pauses=[(day(18), day(10))])
    three = relationship(matched=20, pauses=[(day(18), day(15))])
    assert no_first_meeting(six, TODAY) is None
    assert no_first_meeting(eight, TODAY) is None
    finding = no_first_meeting(three, TODAY)
    assert finding is not None
    assert finding.evidence == (
        "Matched 17 days ago, not counting 3 days paused, and no meeting held yet "
        "(flagged after 14)."
    )
    assert finding.figures == {"days_since_match": 17, "threshold_days": 14}


def test_no_first_meeting_counts_a_pause_still_running_up_to_today():
    """A pause with no end yet covers every day from its start to today."""
    running = relationship(matched=20, pauses=[(day(10), None)])
    assert no_first_meeting(running, TODAY) is None  # 20 - 10 paused = 10
    finding = no_first_meeting(relationship(matched=30, pauses=[(day(1), None)]), TODAY)
    assert finding is not None
    assert finding.evidence == (
        "Matched 29 days ago, not counting 1 day paused, and no meeting held yet "
        "(flagged after 14)."
    )


def test_no_first_meeting_follows_the_schemes_threshold():
    """A scheme allowing 30 days does not flag at 20; one allowing 10 does, and says so."""
    assert (
        no_first_meeting(
            relationship(matched=20, thresholds=Thresholds(no_first_meeting_days=30)), TODAY
        )
        is None
    )
    finding = no_first_meeting(
        relationship(matched=20, thresholds=Thresholds(no_first_meeting_days=10)), TODAY
    )
    assert finding is not None
    assert finding.evidence == "Matched 20 days ago, and no meeting held yet (flagged after 10)."


# --- No contact after release ---------------------------------------------------------------


def test_no_contact_after_release_is_raised_the_day_after_the_threshold():
    """Released 8 days ago (after the match), the last contact before it: flagged, high."""
    r = relationship(matched=40, released_on=day(8), last_contact_on=day(30))
    finding = no_contact_after_release(r, TODAY)
    assert finding is not None
    assert finding.kind == Kind.NO_CONTACT_AFTER_RELEASE
    assert finding.evidence == (
        "Released 8 days ago, on 22 Feb 2026, and no contact since (expected within 7)."
    )
    assert finding.figures == {"days_since_release": 8, "threshold_days": 7}
    assert finding.severity == Severity.HIGH


def test_no_contact_after_release_is_not_raised_on_the_threshold_day():
    """Released exactly 7 days ago: not yet flagged."""
    r = relationship(matched=40, released_on=day(7), last_contact_on=day(30))
    assert no_contact_after_release(r, TODAY) is None


def test_no_contact_after_release_is_cleared_by_contact_on_or_after_the_release_day():
    """A meeting held on the day of release counts; one the day before does not."""
    on_the_day = relationship(matched=40, released_on=day(8), last_contact_on=day(8))
    day_before = relationship(matched=40, released_on=day(8), last_contact_on=day(9))
    assert no_contact_after_release(on_the_day, TODAY) is None
    assert no_contact_after_release(day_before, TODAY) is not None


def test_no_contact_after_release_counts_a_release_on_the_day_of_the_match():
    """Matched on the day of release, 8 days ago, and no contact since: flagged."""
    finding = no_contact_after_release(relationship(matched=8, released_on=day(8)), TODAY)
    assert finding is not None
    assert finding.figures == {"days_since_release": 8, "threshold_days": 7}


def test_no_contact_after_release_needs_a_release_after_the_match_and_not_in_the_future():
    """No release date, a release before the match (no first meeting covers that) or a
    release still to come: no flag."""
    assert no_contact_after_release(relationship(matched=40), TODAY) is None
    before_match = relationship(matched=20, released_on=day(30))
    assert no_contact_after_release(before_match, TODAY) is None
    future = relationship(matched=20, released_on=day(-3))
    assert no_contact_after_release(future, TODAY) is None


def test_no_contact_after_release_follows_the_schemes_threshold():
    """A scheme expecting contact within 3 days flags at 4."""
    r = relationship(
        matched=40,
        released_on=day(4),
        thresholds=Thresholds(no_contact_after_release_days=3),
    )
    finding = no_contact_after_release(r, TODAY)
    assert finding is not None
    assert finding.evidence == (
        "Released 4 days ago, on 26 Feb 2026, and no contact since (expected within 3). "
        "No meeting has been held since the match on 21 Jan 2026."
    )
