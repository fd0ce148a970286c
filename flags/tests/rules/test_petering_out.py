"""Silence, growing gaps, missed meetings, an overdue review and flat scores, on hand-built
facts (no database)."""

from flags.models import Flag, Kind, Severity
from flags.rules.facts import Thresholds
from flags.rules.petering_out import (
    gaps_growing,
    missed_meetings,
    review_overdue,
    scores_flat,
    silence,
)
from flags.rules.watch import noted
from flags.tests.rules.build import TODAY, contacts, day, days, newest_first, relationship, review
from mentees.models import NeedDomain
from relationships.models import Meeting

MISSED = Meeting.Outcome.DID_NOT_ATTEND
HOUSING, WORK = NeedDomain.ACCOMMODATION, NeedDomain.ETE

# --- No recent meeting ----------------------------------------------------------------------


def test_silence_is_raised_after_twice_the_expected_days():
    """Last met 15 days ago where the scheme expects a meeting every 7: flagged, high."""
    finding = silence(relationship(recent_held=days(15, 30, 40)), TODAY)
    assert finding is not None
    assert finding.kind == Kind.SILENCE
    assert finding.evidence == (
        "No meeting held for 15 days: the last was on 15 Feb 2026. "
        "The scheme expects one every 7 days."
    )
    assert finding.figures == {"days_since_meeting": 15, "expected_days": 7}
    assert finding.severity == Severity.HIGH


def test_silence_is_not_raised_at_exactly_twice_the_expected_days():
    """Last met 14 days ago: not flagged."""
    assert silence(relationship(recent_held=days(14, 30, 40)), TODAY) is None


def test_silence_is_left_to_no_first_meeting_when_no_meeting_was_ever_held():
    """Never met: silence says nothing (no first meeting covers it)."""
    assert silence(relationship(matched=90), TODAY) is None


def test_silence_does_not_count_paused_days():
    """Last met 30 days ago, 18 of them paused: 12 days, not flagged. With 10 paused, 20
    days: flagged, saying what was not counted."""
    long_pause = relationship(recent_held=days(30, 40), pauses=[(day(28), day(10))])
    assert silence(long_pause, TODAY) is None
    short_pause = relationship(recent_held=days(30, 40), pauses=[(day(28), day(18))])
    finding = silence(short_pause, TODAY)
    assert finding is not None
    assert finding.evidence == (
        "No meeting held for 20 days, not counting 10 days paused: the last was on "
        "31 Jan 2026. The scheme expects one every 7 days."
    )


def test_silence_follows_the_schemes_expected_days():
    """A scheme expecting a meeting every 10 days flags after 20, not at 20."""
    every_ten = Thresholds(expected_contact_days=10)
    assert silence(relationship(recent_held=days(20), thresholds=every_ten), TODAY) is None
    finding = silence(relationship(recent_held=days(21), thresholds=every_ten), TODAY)
    assert finding is not None
    assert finding.figures == {"days_since_meeting": 21, "expected_days": 10}


def test_silence_stands_down_while_the_next_meeting_is_planned_soon():
    """Last met 40 days ago, but a meeting is planned for today, or for 7 days ahead (the
    scheme's expected days): not silent. With no plan ahead the same relationship is flagged."""
    last_met_long_ago = {"recent_held": days(40, 50)}
    assert silence(relationship(**last_met_long_ago, next_plan_on=day(-7)), TODAY) is None
    assert silence(relationship(**last_met_long_ago, next_plan_on=TODAY), TODAY) is None
    assert silence(relationship(**last_met_long_ago), TODAY) is not None


def test_silence_is_raised_when_the_next_plan_is_further_ahead_than_the_expected_days():
    """Last met 40 days ago and the next meeting planned 8 days ahead, one more than the
    scheme's 7: flagged, the evidence naming the plan's day. A plan 300 days ahead is the
    same silence."""
    near_miss = silence(relationship(recent_held=days(40, 50), next_plan_on=day(-8)), TODAY)
    assert near_miss is not None
    assert near_miss.evidence == (
        "No meeting held for 40 days: the last was on 21 Jan 2026. The scheme expects one "
        "every 7 days. The next planned meeting is on 10 Mar 2026."
    )
    assert near_miss.figures == {
        "days_since_meeting": 40,
        "expected_days": 7,
        "next_plan_on": "2026-03-10",
    }
    far = silence(relationship(recent_held=days(40, 50), next_plan_on=day(-300)), TODAY)
    assert far is not None
    assert far.figures["next_plan_on"] == day(-300).isoformat()


def test_a_plan_soon_follows_the_schemes_expected_days():
    """A scheme expecting a meeting every 10 days is kept quiet by a plan 10 days ahead, not
    by one 11 days ahead."""
    every_ten = Thresholds(expected_contact_days=10)
    held = {"recent_held": days(40), "thresholds": every_ten}
    assert silence(relationship(**held, next_plan_on=day(-10)), TODAY) is None
    assert silence(relationship(**held, next_plan_on=day(-11)), TODAY) is not None


def test_the_longest_silence_evidence_with_a_far_plan_fits_the_flag():
    """Counted from an unanswered plan, with paused days, a far plan and the go-live words:
    the evidence still fits the flag's evidence column."""
    r = relationship(
        recent_held=days(400),
        last_unanswered_plan_on=day(300),
        next_plan_on=day(-300),
        pauses=[(day(250), day(150))],
    )
    finding = silence(r, TODAY)
    assert finding is not None
    (with_go_live,) = noted([finding], [], day(350))
    assert with_go_live.evidence.endswith(
        "The next planned meeting is on 27 Dec 2026. "
        "Counted from 17 Mar 2025, when Tandem began watching."
    )
    assert len(with_go_live.evidence) <= Flag._meta.get_field("evidence").max_length


def test_a_far_plan_does_not_raise_silence_before_the_threshold():
    """Last met 14 days ago (not yet twice the expected days) with a plan 30 days ahead: not
    flagged; the far plan only stops keeping silence away, it raises nothing itself."""
    assert silence(relationship(recent_held=days(14), next_plan_on=day(-30)), TODAY) is None


def test_silence_counts_from_a_plan_whose_day_passed_unanswered():
    """Last met 40 days ago, a meeting planned 14 days ago still unanswered: 14 days since
    the plan, not flagged. Planned 15 days ago: flagged, counting from the plan and saying so."""
    under = relationship(recent_held=days(40, 50), last_unanswered_plan_on=day(14))
    assert silence(under, TODAY) is None
    finding = silence(
        relationship(recent_held=days(40, 50), last_unanswered_plan_on=day(15)), TODAY
    )
    assert finding is not None
    assert finding.evidence == (
        "No meeting recorded for 15 days since the one planned for 15 Feb 2026, whose outcome "
        "is not recorded; the last meeting held was on 21 Jan 2026. The scheme expects one "
        "every 7 days."
    )
    assert finding.figures == {
        "days_since_meeting": 15,
        "expected_days": 7,
        "counted_from_plan_on": "2026-02-15",
    }


def test_silence_counts_from_the_last_meeting_held_when_it_is_after_the_unanswered_plan():
    """A plan left unanswered 30 days ago, a meeting held 15 days ago: counted from the
    meeting, in the usual words."""
    r = relationship(recent_held=days(15, 50), last_unanswered_plan_on=day(30))
    finding = silence(r, TODAY)
    assert finding is not None
    assert finding.evidence.startswith("No meeting held for 15 days: the last was on 15 Feb")
    assert "counted_from_plan_on" not in finding.figures


def test_silence_from_an_unanswered_plan_leaves_out_paused_days():
    """Planned 20 days ago, unanswered, then 10 days paused: 10 days, not flagged."""
    r = relationship(
        recent_held=days(40), last_unanswered_plan_on=day(20), pauses=[(day(18), day(8))]
    )
    assert silence(r, TODAY) is None


# --- Gaps growing ---------------------------------------------------------------------------


def test_gaps_growing_is_raised_when_each_of_the_last_three_gaps_is_longer():
    """Met 35, 27, 18 and 8 days ago: gaps of 8, 9 then 10 days, the latest over the 7
    expected: flagged."""
    finding = gaps_growing(relationship(recent_held=days(35, 27, 18, 8)), TODAY)
    assert finding is not None
    assert finding.kind == Kind.GAPS_GROWING
    assert finding.evidence == (
        "The last three gaps between meetings grew: 8, 9 then 10 days (the scheme expects 7)."
    )
    assert finding.figures == {"gaps_days": [8, 9, 10], "expected_days": 7}
    assert finding.severity == Severity.MEDIUM


def test_gaps_growing_needs_each_gap_strictly_longer():
    """Gaps of 8, 9 and 9 days are not growing."""
    assert gaps_growing(relationship(recent_held=days(35, 27, 18, 9)), TODAY) is None


def test_gaps_growing_reads_only_the_last_four_meetings():
    """A fifth, newer meeting 4 days ago makes the last three gaps 9, 10 and 4: cleared."""
    assert gaps_growing(relationship(recent_held=days(35, 27, 18, 8, 4)), TODAY) is None


def test_gaps_growing_needs_the_latest_gap_over_the_expected_interval():
    """Gaps of 2, 3 and 4 days grow but all fall within a week: not flagged. Gaps of 5, 6 and
    7 end exactly on the expected 7: not flagged; 5, 6 and 8: flagged."""
    assert gaps_growing(relationship(recent_held=days(12, 10, 7, 3)), TODAY) is None
    assert gaps_growing(relationship(recent_held=days(18, 13, 7, 0)), TODAY) is None
    assert gaps_growing(relationship(recent_held=days(19, 14, 8, 0)), TODAY) is not None


def test_gaps_growing_needs_four_meetings_held():
    """Three meetings give only two gaps: not flagged, however they grow."""
    assert gaps_growing(relationship(recent_held=days(60, 40, 10)), TODAY) is None


def test_gaps_growing_does_not_count_paused_days():
    """Gaps of 8, 9 and 10 days, with 4 days of the last one paused, are 8, 9 and 6: not
    flagged."""
    r = relationship(recent_held=days(35, 27, 18, 8), pauses=[(day(16), day(12))])
    assert gaps_growing(r, TODAY) is None


# --- Missed meetings ------------------------------------------------------------------------


def test_missed_meetings_is_raised_at_three_of_the_last_five_not_attended():
    """Of the last five arranged meetings the mentee missed three: flagged."""
    recent = newest_first(contacts(12, 6), contacts(15, 9, 3, outcome=MISSED))
    finding = missed_meetings(relationship(recent=recent), TODAY)
    assert finding is not None
    assert finding.kind == Kind.MISSED_MEETINGS
    assert finding.evidence == "The mentee did not attend 3 of the last 5 arranged meetings."
    assert finding.figures == {"missed": 3, "arranged": 5, "threshold": 3}
    assert finding.severity == Severity.MEDIUM


def test_missed_meetings_is_not_raised_at_two_of_five():
    """Two missed of the last five: not flagged."""
    recent = newest_first(contacts(12, 6, 2), contacts(9, 3, outcome=MISSED))
    assert missed_meetings(relationship(recent=recent), TODAY) is None


def test_missed_meetings_reads_only_the_last_five_arranged():
    """Three missed in all, but the oldest falls out of the last five: cleared."""
    recent = newest_first(contacts(12, 6, 2, 1), contacts(15, 9, 3, outcome=MISSED))
    assert missed_meetings(relationship(recent=recent), TODAY) is None


def test_missed_meetings_needs_five_arranged():
    """Four arranged, all missed: not flagged yet."""
    r = relationship(recent=contacts(12, 9, 6, 3, outcome=MISSED))
    assert missed_meetings(r, TODAY) is None


def test_missed_meetings_follows_the_schemes_threshold():
    """A scheme flagging at two missed flags two of five."""
    recent = newest_first(contacts(12, 6, 2), contacts(9, 3, outcome=MISSED))
    r = relationship(recent=recent, thresholds=Thresholds(missed_meetings=2))
    finding = missed_meetings(r, TODAY)
    assert finding is not None
    assert finding.evidence == "The mentee did not attend 2 of the last 5 arranged meetings."


def test_a_cancelled_meeting_is_not_a_missed_one():
    """Only 'did not attend' counts as missed; cancellations do not."""
    recent = newest_first(
        contacts(12, 6), contacts(15, 9, 3, outcome=Meeting.Outcome.CANCELLED_BY_MENTEE)
    )
    assert missed_meetings(relationship(recent=recent), TODAY) is None


# --- Review overdue -------------------------------------------------------------------------


def test_review_overdue_is_raised_the_day_after_the_threshold():
    """A review due 15 days ago: flagged (the default allows 14)."""
    finding = review_overdue(relationship(next_review_on=day(15)), TODAY)
    assert finding is not None
    assert finding.kind == Kind.REVIEW_OVERDUE
    assert finding.evidence == (
        "The review due on 15 Feb 2026 is 15 days overdue (flagged after 14)."
    )
    assert finding.figures == {"days_overdue": 15, "threshold_days": 14}
    assert finding.severity == Severity.MEDIUM


def test_review_overdue_is_not_raised_on_the_threshold_day_nor_before_the_review_is_due():
    """Due 14 days ago, due in six weeks, or no review date: no flag."""
    assert review_overdue(relationship(next_review_on=day(14)), TODAY) is None
    assert review_overdue(relationship(next_review_on=day(-42)), TODAY) is None
    assert review_overdue(relationship(), TODAY) is None


def test_review_overdue_follows_the_schemes_threshold():
    """A scheme allowing 3 days flags a review 4 days overdue."""
    r = relationship(next_review_on=day(4), thresholds=Thresholds(review_overdue_days=3))
    finding = review_overdue(r, TODAY)
    assert finding is not None
    assert finding.evidence == "The review due on 26 Feb 2026 is 4 days overdue (flagged after 3)."


# --- Goal scores unchanged ------------------------------------------------------------------


def test_scores_flat_is_raised_when_every_shared_domain_scored_the_same():
    """The same scores for housing and work at the last two reviews: flagged, low."""
    r = relationship(reviews=[review(8, {HOUSING: 4, WORK: 6}), review(50, {HOUSING: 4, WORK: 6})])
    finding = scores_flat(r, TODAY)
    assert finding is not None
    assert finding.kind == Kind.SCORES_FLAT
    assert finding.evidence == (
        "Goal scores unchanged between the reviews on 11 Jan 2026 and 22 Feb 2026: "
        "Accommodation 4, Education, training and employment 6."
    )
    assert finding.figures == {"scores": {HOUSING: 4, WORK: 6}}
    assert finding.severity == Severity.LOW


def test_scores_flat_is_not_raised_when_any_domain_moved():
    """Housing went from 4 to 5: not flat."""
    r = relationship(reviews=[review(8, {HOUSING: 5, WORK: 6}), review(50, {HOUSING: 4, WORK: 6})])
    assert scores_flat(r, TODAY) is None


def test_scores_flat_compares_only_the_domains_scored_at_both_reviews():
    """A domain scored at only one review is left out of the comparison and the evidence;
    mean scores keep their half points."""
    r = relationship(
        reviews=[review(8, {HOUSING: 4.5, WORK: 7}), review(50, {HOUSING: 4.5})],
    )
    finding = scores_flat(r, TODAY)
    assert finding is not None
    assert finding.evidence.endswith(": Accommodation 4.5.")


def test_scores_flat_needs_two_reviews_sharing_a_domain():
    """One review, or two with no domain in common, or none scored: no flag."""
    assert scores_flat(relationship(reviews=[review(8, {HOUSING: 4})]), TODAY) is None
    apart = relationship(reviews=[review(8, {HOUSING: 4}), review(50, {WORK: 4})])
    assert scores_flat(apart, TODAY) is None
    unscored = relationship(reviews=[review(8), review(50)])
    assert scores_flat(unscored, TODAY) is None


def test_scores_flat_is_not_raised_when_every_shared_score_is_at_the_top_of_the_scale():
    """Housing and work scored 10 out of 10 at both reviews: kept at the top, not stuck."""
    r = relationship(
        reviews=[review(8, {HOUSING: 10, WORK: 10}), review(50, {HOUSING: 10, WORK: 10})]
    )
    assert scores_flat(r, TODAY) is None


def test_scores_flat_is_raised_when_flat_just_below_the_top():
    """9 out of 10 at both reviews, or a mean of 9.5 (one goal at 10, one at 9): flat with
    room to rise, flagged."""
    nine = relationship(reviews=[review(8, {HOUSING: 9}), review(50, {HOUSING: 9})])
    assert scores_flat(nine, TODAY) is not None
    nine_and_a_half = relationship(reviews=[review(8, {HOUSING: 9.5}), review(50, {HOUSING: 9.5})])
    assert scores_flat(nine_and_a_half, TODAY) is not None


def test_scores_flat_is_raised_when_one_domain_is_at_the_top_and_another_flat_below():
    """Housing at 10 both times, work stuck at 6: work has room to rise, flagged, with both in
    the evidence."""
    r = relationship(
        reviews=[review(8, {HOUSING: 10, WORK: 6}), review(50, {HOUSING: 10, WORK: 6})]
    )
    finding = scores_flat(r, TODAY)
    assert finding is not None
    assert finding.evidence.endswith(": Accommodation 10, Education, training and employment 6.")
