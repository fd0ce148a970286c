"""Running on with no ending plan, and contact rising while progress is flat, on hand-built
facts (no database)."""

from typing import Any

from flags.models import Kind, Severity
from flags.rules.facts import RelationshipFacts, ReviewFacts, Thresholds
from flags.rules.running_on import contact_rising, too_long
from flags.tests.rules.build import TODAY, day, days, relationship, review
from mentees.models import NeedDomain
from relationships.models import Relationship

HOUSING, WORK = NeedDomain.ACCOMMODATION, NeedDomain.ETE
ENDING = Relationship.Status.ENDING


def achieved(*, last_held: int, **facts: Any) -> RelationshipFacts:
    """Matched 200 days ago, its one goal achieved 60 days ago (unless ``facts`` say
    otherwise), last met ``last_held`` days ago."""
    goals = {"goals_total": 1, "goals_achieved": 1, "last_goal_achieved_on": day(60)}
    return relationship(matched=200, recent_held=days(last_held, 50, 80), **(goals | facts))


# --- Running on with no ending plan ---------------------------------------------------------


def test_too_long_is_raised_four_weeks_after_the_last_goal_was_achieved():
    """The one goal achieved 60 days ago, a meeting 29 days after it, no ending plan:
    flagged (the default allows 4 weeks)."""
    finding = too_long(achieved(last_held=31), TODAY)
    assert finding is not None
    assert finding.kind == Kind.TOO_LONG
    assert finding.evidence == (
        "On 1 Jan 2026 the one goal was achieved, yet meetings carried on for 4 weeks after, "
        "with no ending plan."
    )
    assert finding.figures == {"since": "2026-01-01", "weeks_after": 4, "threshold_weeks": 4}
    assert finding.severity == Severity.MEDIUM


def test_too_long_is_not_raised_at_exactly_four_weeks():
    """The last meeting 28 days after the goal was achieved: not flagged."""
    assert too_long(achieved(last_held=32), TODAY) is None


def test_too_long_counts_all_the_goals():
    """Three goals, all achieved: the evidence says so."""
    finding = too_long(achieved(last_held=31, goals_total=3, goals_achieved=3), TODAY)
    assert finding is not None
    assert finding.evidence.startswith("On 1 Jan 2026 all 3 goals were achieved, yet")


def test_too_long_is_not_raised_while_a_goal_is_open():
    """One of two goals still open: the goals do not call for an ending."""
    r = achieved(last_held=31, goals_total=2, goals_achieved=1, goals_open=1)
    assert too_long(r, TODAY) is None


def test_an_ending_plan_answers_the_goals_and_the_caps():
    """Status 'ending', or an exit plan written down, is an ending plan: no flag. An exit plan
    of blank space is not one."""
    assert too_long(achieved(last_held=31, status=ENDING), TODAY) is None
    assert too_long(achieved(last_held=31, exit_plan="Two more, then close."), TODAY) is None
    assert too_long(achieved(last_held=31, exit_plan="  "), TODAY) is not None
    capped = relationship(
        matched=110,
        recent_held=days(11, 50, 100),
        thresholds=Thresholds(cap_weeks=10),
        exit_plan="Two more, then close.",
    )
    assert too_long(capped, TODAY) is None


def test_too_long_past_the_schemes_cap_on_meetings():
    """The cap of 3 meetings reached 70 days ago and a meeting 29 days later: flagged, even
    with a goal still open; 28 days later is not."""
    cap = Thresholds(cap_meetings=3)
    r = relationship(
        matched=100,
        thresholds=cap,
        cap_reached_on=day(70),
        goals_total=1,
        goals_open=1,
        recent_held=days(41, 60, 70, 80, 90),
    )
    finding = too_long(r, TODAY)
    assert finding is not None
    assert finding.evidence == (
        "On 22 Dec 2025 the scheme's cap of 3 meetings was reached, yet meetings carried on "
        "for 4 weeks after, with no ending plan."
    )
    under = relationship(
        matched=100, thresholds=cap, cap_reached_on=day(70), recent_held=days(42, 60, 70)
    )
    assert too_long(under, TODAY) is None


def test_too_long_is_not_raised_before_the_cap_on_meetings_is_reached():
    """A cap of 3 meetings with only 2 held so far: the cap is no reason to end yet."""
    r = relationship(matched=100, thresholds=Thresholds(cap_meetings=3), recent_held=days(30, 90))
    assert too_long(r, TODAY) is None


def test_too_long_past_the_schemes_cap_in_weeks():
    """Matched 110 days ago with a cap of 10 weeks (passed 40 days ago), last met 29 days
    after: flagged; 28 days after is not."""
    cap = Thresholds(cap_weeks=10)
    r = relationship(matched=110, thresholds=cap, recent_held=days(11, 50, 100))
    finding = too_long(r, TODAY)
    assert finding is not None
    assert finding.evidence == (
        "On 21 Jan 2026 the scheme's cap of 10 weeks passed, yet meetings carried on for "
        "4 weeks after, with no ending plan."
    )
    under = relationship(matched=110, thresholds=cap, recent_held=days(12, 50, 100))
    assert too_long(under, TODAY) is None


def test_too_long_past_the_planned_end_even_with_an_exit_plan():
    """Running on past an agreed ending is the overrun the plan was meant to prevent: an
    ending relationship with an exit plan, met 30 days after its planned end, is flagged;
    28 days after is not."""
    plan = {"status": ENDING, "exit_plan": "Close after the housing move."}
    r = relationship(matched=200, planned_end_on=day(90), recent_held=days(60, 80, 100), **plan)
    finding = too_long(r, TODAY)
    assert finding is not None
    assert finding.evidence == (
        "The agreed ending was planned for 2 Dec 2025, yet meetings carried on for 4 weeks "
        "after it."
    )
    under = relationship(matched=200, planned_end_on=day(90), recent_held=days(62, 100), **plan)
    assert too_long(under, TODAY) is None


def test_too_long_counts_from_the_earliest_reason_to_end():
    """The cap of 10 weeks passed 80 days ago, the goal was achieved 60 days ago; met 45
    days ago: 35 days past the cap is flagged, though only 15 past the goal."""
    r = relationship(
        matched=150,
        thresholds=Thresholds(cap_weeks=10),
        goals_total=1,
        last_goal_achieved_on=day(60),
        recent_held=days(45, 100),
    )
    finding = too_long(r, TODAY)
    assert finding is not None
    assert finding.evidence.startswith("On 12 Dec 2025 the scheme's cap of 10 weeks passed")
    assert finding.figures["weeks_after"] == 5


def test_too_long_ignores_an_ending_still_to_come_and_needs_a_meeting_held():
    """A planned end next week is no reason yet; with no meeting ever held there is nothing
    carrying on."""
    ahead = relationship(planned_end_on=day(-7), recent_held=days(0, 7))
    assert too_long(ahead, TODAY) is None
    never_met = relationship(matched=200, goals_total=1, last_goal_achieved_on=day(60))
    assert too_long(never_met, TODAY) is None


def test_too_long_follows_the_schemes_threshold():
    """A scheme allowing 2 weeks flags a meeting 15 days after the goal was achieved."""
    r = achieved(last_held=45, thresholds=Thresholds(too_long_weeks=2))
    finding = too_long(r, TODAY)
    assert finding is not None
    assert finding.figures == {"since": "2026-01-01", "weeks_after": 2, "threshold_weeks": 2}


# --- Contact rising, progress flat ----------------------------------------------------------


def flat(score: float = 5) -> list[ReviewFacts]:
    """The last two reviews, housing and work scored ``score`` at both."""
    return [review(20, {HOUSING: score, WORK: score}), review(60, {HOUSING: score, WORK: score})]


def test_contact_rising_is_raised_when_meetings_rise_and_scores_stand_still():
    """6 meetings in the last four weeks against 3 in the four before, the mean score 5 at
    both reviews: flagged, low."""
    r = relationship(held_recent_weeks=6, held_weeks_before=3, reviews=flat())
    finding = contact_rising(r, TODAY)
    assert finding is not None
    assert finding.kind == Kind.CONTACT_RISING
    assert finding.evidence == (
        "6 meetings held in the last 4 weeks against 3 in the 4 before, while the mean goal "
        "score went from 5 to 5 between the last two reviews."
    )
    assert finding.figures == {"recent": 6, "before": 3, "score_before": 5, "score_latest": 5}
    assert finding.severity == Severity.LOW


def test_contact_rising_needs_half_as_many_again_and_at_least_two_more():
    """4 against 3 is not rising enough; 6 against 4 is (half as many again, two more); 8
    against 6 is two more but not half as many again; 2 against none is, 1 is not."""
    for recent, before, raised in ((4, 3, False), (6, 4, True), (8, 6, False), (2, 0, True)):
        r = relationship(held_recent_weeks=recent, held_weeks_before=before, reviews=flat())
        assert (contact_rising(r, TODAY) is not None) is raised, (recent, before)
    assert contact_rising(relationship(held_recent_weeks=1, reviews=flat()), TODAY) is None


def test_contact_rising_is_not_raised_when_the_mean_score_rose():
    """Housing 5 → 7 and work 5 → 6: progress, so no flag."""
    r = relationship(
        held_recent_weeks=6,
        held_weeks_before=3,
        reviews=[review(1, {HOUSING: 7, WORK: 6}), review(20, {HOUSING: 5, WORK: 5})],
    )
    assert contact_rising(r, TODAY) is None


def test_contact_rising_is_raised_when_the_mean_score_fell():
    """The mean score went from 6 to 5.5: flagged, with the half point."""
    r = relationship(
        held_recent_weeks=6,
        held_weeks_before=3,
        reviews=[review(20, {HOUSING: 5, WORK: 6}), review(60, {HOUSING: 6, WORK: 6})],
    )
    finding = contact_rising(r, TODAY)
    assert finding is not None
    assert finding.evidence.endswith("went from 6 to 5.5 between the last two reviews.")


def test_contact_rising_needs_two_scored_reviews():
    """One review, or a review without scores: nothing to compare."""
    one = relationship(held_recent_weeks=6, held_weeks_before=3, reviews=flat()[:1])
    assert contact_rising(one, TODAY) is None
    unscored = relationship(
        held_recent_weeks=6, held_weeks_before=3, reviews=[review(20), review(60, {HOUSING: 5})]
    )
    assert contact_rising(unscored, TODAY) is None
