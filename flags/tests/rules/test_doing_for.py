"""Doing things for the mentee, and the mentee owning fewer steps, on hand-built facts (no
database)."""

from flags.models import Kind, Severity
from flags.rules.doing_for import done_for, mentee_steps_falling
from flags.rules.facts import Thresholds
from flags.tests.rules.build import TODAY, relationship, review
from relationships.models import Meeting

FOR, WITH, GOALS = Meeting.Purpose.HELP_FOR, Meeting.Purpose.HELP_WITH, Meeting.Purpose.GOALS

# --- Doing things for the mentee ------------------------------------------------------------


def test_done_for_is_raised_at_half_of_the_last_six_meetings():
    """Help done for the mentee at 3 of the last 6 meetings held (the default flags at 50%)."""
    r = relationship(recent_held_purposes=[FOR, FOR, FOR, WITH, WITH, WITH])
    finding = done_for(r, TODAY)
    assert finding is not None
    assert finding.kind == Kind.DONE_FOR
    assert finding.evidence == (
        "Practical help was done for the mentee, rather than with them, in 3 of the last 6 "
        "meetings."
    )
    assert finding.figures == {"done_for": 3, "meetings": 6, "threshold_percent": 50}
    assert finding.severity == Severity.MEDIUM


def test_done_for_is_not_raised_under_half():
    """Two of six: not flagged."""
    r = relationship(recent_held_purposes=[FOR, FOR, GOALS, GOALS, GOALS, GOALS])
    assert done_for(r, TODAY) is None


def test_done_for_reads_only_the_last_six_meetings_held():
    """Four newer meetings of help done with the mentee, between and after the three done
    for, leave two done for in the last six: cleared."""
    r = relationship(recent_held_purposes=[WITH, WITH, FOR, WITH, FOR, WITH, FOR, WITH, WITH, WITH])
    assert done_for(r, TODAY) is None


def test_done_for_needs_six_meetings_held():
    """Five meetings, all help done for the mentee: too few to say."""
    assert done_for(relationship(recent_held_purposes=[FOR] * 5), TODAY) is None


def test_meetings_whose_purpose_is_not_recorded_are_neither_help_for_nor_counted():
    """Imported meetings whose records do not say what they were for are left out: three
    done for among six recorded ones still flags, and unknown purposes never add to it."""
    unknown = Meeting.Purpose.NOT_RECORDED
    r = relationship(recent_held_purposes=[unknown, FOR, FOR, FOR, unknown, WITH, WITH, WITH])
    finding = done_for(r, TODAY)
    assert finding is not None and finding.figures["meetings"] == 6
    assert done_for(relationship(recent_held_purposes=[unknown] * 6), TODAY) is None


def test_done_for_follows_the_schemes_threshold():
    """A scheme flagging at a third flags two of six."""
    r = relationship(
        recent_held_purposes=[FOR, FOR, GOALS, GOALS, GOALS, GOALS],
        thresholds=Thresholds(done_for_percent=33),
    )
    assert done_for(r, TODAY) is not None


# --- Mentee owns fewer steps ----------------------------------------------------------------


def test_mentee_steps_falling_is_raised_when_the_mentees_share_fell():
    """4 of 8 steps (50%) at the earlier review, 2 of 7 (29%) at the latest: flagged, low."""
    r = relationship(
        reviews=[
            review(8, steps_total=7, steps_owned_by_mentee=2),
            review(50, steps_total=8, steps_owned_by_mentee=4),
        ]
    )
    finding = mentee_steps_falling(r, TODAY)
    assert finding is not None
    assert finding.kind == Kind.MENTEE_STEPS_FALLING
    assert finding.evidence == (
        "The mentee owned 4 of 8 steps (50%) at the review on 11 Jan 2026, and 2 of 7 (29%) "
        "at the review on 22 Feb 2026."
    )
    assert finding.figures == {"share_before": 0.5, "share_latest": 0.286}
    assert finding.severity == Severity.LOW


def test_mentee_steps_falling_is_not_raised_when_the_share_held_or_rose():
    """4 of 8 then 3 of 6 is the same share; 4 of 8 then 5 of 6 is more: no flag."""
    same = relationship(
        reviews=[
            review(8, steps_total=6, steps_owned_by_mentee=3),
            review(50, steps_total=8, steps_owned_by_mentee=4),
        ]
    )
    assert mentee_steps_falling(same, TODAY) is None
    rose = relationship(
        reviews=[
            review(8, steps_total=6, steps_owned_by_mentee=5),
            review(50, steps_total=8, steps_owned_by_mentee=4),
        ]
    )
    assert mentee_steps_falling(rose, TODAY) is None


def test_mentee_steps_falling_needs_two_reviews_with_steps():
    """One review, or a review with no steps recorded: nothing to compare."""
    one = relationship(reviews=[review(8, steps_total=7, steps_owned_by_mentee=0)])
    assert mentee_steps_falling(one, TODAY) is None
    no_steps = relationship(reviews=[review(8), review(50, steps_total=8, steps_owned_by_mentee=4)])
    assert mentee_steps_falling(no_steps, TODAY) is None
