"""Mentor driving and different views of who leads, on hand-built facts (no database)."""

from flags.models import Kind, Severity
from flags.rules.facts import Thresholds
from flags.rules.mentor_drives import driving_gap, mentor_driving
from flags.tests.rules.build import TODAY, contacts, logged, relationship, review
from relationships.models import Driving, Meeting, Party

# --- Mentor driving -------------------------------------------------------------------------


def test_mentor_driving_is_raised_at_seven_of_the_last_eight_contacts():
    """The mentor started 7 of the last 8 contacts held (88%, the default flags at 80%)."""
    recent = logged(
        contacts(2, 4, 6, 8, 10, 12, 14, initiated_by=Party.MENTOR),
        contacts(16, 18, 20, initiated_by=Party.MENTEE),
    )
    finding = mentor_driving(relationship(**recent), TODAY)
    assert finding is not None
    assert finding.kind == Kind.MENTOR_DRIVING
    assert finding.evidence == (
        "The mentor initiated 7 of the last 8 contacts held (88%; flagged at 80%)."
    )
    assert finding.figures == {"by_mentor": 7, "contacts": 8, "threshold_percent": 80}
    assert finding.severity == Severity.MEDIUM


def test_mentor_driving_is_not_raised_under_the_threshold():
    """Six of eight (75%) is under 80%: not flagged."""
    recent = logged(
        contacts(2, 4, 6, 8, 10, 12, initiated_by=Party.MENTOR),
        contacts(14, 16, initiated_by=Party.MENTEE),
    )
    assert mentor_driving(relationship(**recent), TODAY) is None


def test_mentor_driving_is_raised_at_exactly_the_schemes_threshold():
    """A scheme flagging at 75% flags six of eight."""
    recent = logged(
        contacts(2, 4, 6, 8, 10, 12, initiated_by=Party.MENTOR),
        contacts(14, 16, initiated_by=Party.MENTEE),
    )
    r = relationship(**recent, thresholds=Thresholds(mentor_led_percent=75))
    finding = mentor_driving(r, TODAY)
    assert finding is not None
    assert finding.evidence == (
        "The mentor initiated 6 of the last 8 contacts held (75%; flagged at 75%)."
    )


def test_mentor_driving_reads_only_the_last_eight_contacts():
    """Two newer contacts started by the mentee leave five of the last eight by the mentor:
    cleared."""
    recent = logged(
        contacts(0, 1, initiated_by=Party.MENTEE),
        contacts(2, 4, 6, 8, 10, 12, 14, initiated_by=Party.MENTOR),
        contacts(16, 18, 20, initiated_by=Party.MENTEE),
    )
    assert mentor_driving(relationship(**recent), TODAY) is None


def test_mentor_driving_needs_eight_contacts():
    """Four contacts, all started by the mentor: too few to say."""
    r = relationship(matched=10, **logged(contacts(1, 3, 5, 7, initiated_by=Party.MENTOR)))
    assert mentor_driving(r, TODAY) is None


def test_mentor_driving_leaves_out_meetings_that_were_not_held():
    """The mentee missed four meetings and cancelled one (each logged as started by the
    mentor, as an answered plan is) since two held meetings the mentor started; the six held
    before were started by the mentee. The mentor "started" 7 of the last 8 logged, but 2 of
    the last 8 held: not flagged. Meetings not held do not make up the eight either."""
    not_held = logged(
        contacts(2, 4, 6, 8, outcome=Meeting.Outcome.DID_NOT_ATTEND, initiated_by=Party.MENTOR),
        contacts(10, outcome=Meeting.Outcome.CANCELLED_BY_MENTEE, initiated_by=Party.MENTOR),
        contacts(12, 14, initiated_by=Party.MENTOR),
        contacts(16, 18, 20, 22, 24, 26, initiated_by=Party.MENTEE),
    )
    assert sum(c.initiated_by == Party.MENTOR for c in not_held["recent"]) == 7
    assert mentor_driving(relationship(**not_held), TODAY) is None
    too_few = logged(
        contacts(2, 4, 6, 8, outcome=Meeting.Outcome.DID_NOT_ATTEND, initiated_by=Party.MENTOR),
        contacts(10, 12, 14, 16, initiated_by=Party.MENTOR),
    )
    assert mentor_driving(relationship(**too_few), TODAY) is None


def test_mentor_driving_is_raised_on_the_last_eight_held_past_missed_meetings():
    """The mentor started 7 of the last 8 meetings held, with two missed meetings in between:
    flagged on those eight held (88%), just as without the missed ones; 6 of 8 held is not."""
    raised = logged(
        contacts(2, 6, outcome=Meeting.Outcome.DID_NOT_ATTEND, initiated_by=Party.MENTEE),
        contacts(4, 8, 10, 12, 14, 16, 18, initiated_by=Party.MENTOR),
        contacts(20, 22, initiated_by=Party.MENTEE),
    )
    finding = mentor_driving(relationship(**raised), TODAY)
    assert finding is not None
    assert finding.figures == {"by_mentor": 7, "contacts": 8, "threshold_percent": 80}
    under = logged(
        contacts(2, 6, outcome=Meeting.Outcome.DID_NOT_ATTEND, initiated_by=Party.MENTOR),
        contacts(4, 8, 10, 12, 14, 16, initiated_by=Party.MENTOR),
        contacts(18, 20, initiated_by=Party.MENTEE),
    )
    assert mentor_driving(relationship(**under), TODAY) is None


# --- Different views of who leads -----------------------------------------------------------


def test_driving_gap_is_raised_when_the_mentor_says_shared_and_the_mentee_mentor_led():
    """At the latest review the mentor said shared, the mentee mentor-led: flagged, low."""
    r = relationship(
        reviews=[review(8, mentor_driving=Driving.SHARED, mentee_driving=Driving.MENTOR_LED)]
    )
    finding = driving_gap(r, TODAY)
    assert finding is not None
    assert finding.kind == Kind.DRIVING_GAP
    assert finding.evidence == (
        "At the review on 22 Feb 2026 the mentor said the relationship is shared; the mentee "
        "said it is mentor-led."
    )
    assert finding.figures == {"mentor_view": "shared", "mentee_view": "mentor_led"}
    assert finding.severity == Severity.LOW


def test_driving_gap_is_raised_when_the_mentor_says_mentee_led():
    """The mentor's 'mentee-led' against the mentee's 'mentor-led' is a gap too."""
    r = relationship(
        reviews=[review(8, mentor_driving=Driving.MENTEE_LED, mentee_driving=Driving.MENTOR_LED)]
    )
    finding = driving_gap(r, TODAY)
    assert finding is not None
    assert "the mentor said the relationship is mentee-led;" in finding.evidence


def test_driving_gap_is_not_raised_when_they_agree_or_the_mentee_does_not_say_mentor_led():
    """Both say mentor-led, or the mentee says shared: no gap."""
    agreed = relationship(
        reviews=[review(8, mentor_driving=Driving.MENTOR_LED, mentee_driving=Driving.MENTOR_LED)]
    )
    assert driving_gap(agreed, TODAY) is None
    mentee_shared = relationship(
        reviews=[review(8, mentor_driving=Driving.MENTEE_LED, mentee_driving=Driving.SHARED)]
    )
    assert driving_gap(mentee_shared, TODAY) is None


def test_driving_gap_reads_only_the_latest_review():
    """A gap at the review before the latest one no longer counts; no review, no flag."""
    r = relationship(
        reviews=[
            review(1, mentor_driving=Driving.SHARED, mentee_driving=Driving.SHARED),
            review(8, mentor_driving=Driving.SHARED, mentee_driving=Driving.MENTOR_LED),
        ]
    )
    assert driving_gap(r, TODAY) is None
    assert driving_gap(relationship(), TODAY) is None
