"""A planned meeting whose outcome is not recorded, and the one flag a relationship that never
started shows, on hand-built facts (no database)."""

from flags.models import Kind, Severity
from flags.rules import findings_for_relationship
from flags.rules.facts import Thresholds
from flags.rules.plans import plan_outcome_not_recorded
from flags.rules.prompts import mentor_prompt
from flags.tests.rules.build import TODAY, contacts, day, days, relationship, review
from mentees.models import NeedDomain
from relationships.models import Meeting, Relationship

MISSED = Meeting.Outcome.DID_NOT_ATTEND

# --- Outcome not recorded -------------------------------------------------------------------


def started(**facts) -> dict:
    """Facts of a relationship that has started: met 2 and 9 days ago."""
    return {"held_count": 2, "recent_held": days(2, 9), "recent": contacts(2, 9), **facts}


def test_outcome_not_recorded_is_raised_the_day_after_the_schemes_days():
    """A plan 4 days past with no answer (the default allows 3): flagged, low, naming the
    plan's day; not counted as missed."""
    r = relationship(**started(oldest_unanswered_plan_on=day(4), unanswered_plans=1))
    finding = plan_outcome_not_recorded(r, TODAY)
    assert finding is not None
    assert finding.kind == Kind.PLAN_OUTCOME_NOT_RECORDED
    assert finding.evidence == (
        "The meeting planned for 26 Feb 2026 has had no outcome recorded for 4 days "
        "(flagged after 3). It is not counted as missed."
    )
    assert finding.figures == {
        "planned_on": "2026-02-26",
        "days_waiting": 4,
        "threshold_days": 3,
        "unanswered": 1,
    }
    assert finding.severity == Severity.LOW


def test_outcome_not_recorded_is_not_raised_on_the_schemes_last_day_nor_when_answered():
    """3 days past: not yet. No plan waiting (answered, or never planned): nothing."""
    waiting = relationship(**started(oldest_unanswered_plan_on=day(3), unanswered_plans=1))
    assert plan_outcome_not_recorded(waiting, TODAY) is None
    assert plan_outcome_not_recorded(relationship(**started()), TODAY) is None


def test_outcome_not_recorded_follows_the_schemes_days_and_counts_later_plans():
    """A scheme allowing 7 days does not flag at 7 and does at 8, saying how many later plans
    wait too."""
    week = Thresholds(plan_outcome_days=7)
    at_seven = relationship(
        thresholds=week, **started(oldest_unanswered_plan_on=day(7), unanswered_plans=3)
    )
    assert plan_outcome_not_recorded(at_seven, TODAY) is None
    at_eight = relationship(
        thresholds=week, **started(oldest_unanswered_plan_on=day(8), unanswered_plans=3)
    )
    finding = plan_outcome_not_recorded(at_eight, TODAY)
    assert finding is not None
    assert finding.evidence == (
        "The meeting planned for 22 Feb 2026 has had no outcome recorded for 8 days "
        "(flagged after 7). It is not counted as missed. 2 later planned meetings are "
        "waiting for one too."
    )


def test_an_unanswered_plan_is_not_a_missed_meeting():
    """Two missed meetings and three plans unanswered: only the outcome flag, never 'missed'."""
    r = relationship(
        held_count=3,
        recent=[*contacts(20, 25, outcome=MISSED), *contacts(30, 35, 40)],
        recent_held=days(30, 35, 40),
        oldest_unanswered_plan_on=day(10),
        last_unanswered_plan_on=day(5),
        unanswered_plans=3,
    )
    kinds = [f.kind for f in findings_for_relationship(r, TODAY)]
    assert Kind.MISSED_MEETINGS not in kinds
    assert Kind.PLAN_OUTCOME_NOT_RECORDED in kinds


def test_the_mentors_prompt_names_the_plans_day_in_kind_words():
    """The mentor is asked about the meeting by its day, as they would say it."""
    prompt = mentor_prompt(Kind.PLAN_OUTCOME_NOT_RECORDED, {"planned_on": "2026-03-03"})
    assert prompt == "Did your meeting on 3 March happen? Tell us in one tap."
    assert mentor_prompt(Kind.PLAN_OUTCOME_NOT_RECORDED, {}) == (
        "Did your planned meeting happen? Tell us in one tap."
    )
    assert mentor_prompt(Kind.SILENCE, {}) == (
        "It has been a while since you met. Could you suggest a time?"
    )


# --- A relationship that never started: one flag --------------------------------------------


def test_never_started_shows_no_first_meeting_alone_not_a_review_overdue_too():
    """Matched 90 days ago, never met, the review 30 days overdue, the mentor starting every
    contact arranged: only 'No first meeting', saying what became of the meetings arranged."""
    r = relationship(
        matched=90,
        next_review_on=day(30),
        recent=[*contacts(20, 40, outcome=MISSED), *contacts(60, outcome="cancelled_by_mentee")],
    )
    found = findings_for_relationship(r, TODAY)
    assert [f.kind for f in found] == [Kind.NO_FIRST_MEETING]
    assert found[0].evidence == (
        "Matched 90 days ago, and no meeting held yet (flagged after 14). Since the match the "
        "mentee did not turn up to 2 meetings and 1 meeting was cancelled."
    )
    assert found[0].figures["missed"] == 2


def test_never_started_says_what_is_planned_and_waiting_in_its_one_flag():
    """Never met, a plan 6 days past unanswered and another ahead: one flag, 'No first
    meeting', naming both plans; the outcome flag stands down."""
    r = relationship(
        matched=30,
        oldest_unanswered_plan_on=day(6),
        last_unanswered_plan_on=day(6),
        unanswered_plans=1,
        next_plan_on=day(-5),
    )
    found = findings_for_relationship(r, TODAY)
    assert [f.kind for f in found] == [Kind.NO_FIRST_MEETING]
    assert found[0].evidence.endswith(
        "The meeting planned for 24 Feb 2026 has no outcome recorded yet. "
        "A meeting is planned for 7 Mar 2026."
    )


def test_never_started_before_the_first_meeting_is_due_asks_only_for_the_outcome():
    """Matched 10 days ago (within the 14 allowed), a first meeting 5 days ago unanswered: the
    outcome flag is the one flag; at 3 days, nothing at all."""
    r = relationship(
        matched=10,
        oldest_unanswered_plan_on=day(5),
        last_unanswered_plan_on=day(5),
        unanswered_plans=1,
    )
    assert [f.kind for f in findings_for_relationship(r, TODAY)] == [Kind.PLAN_OUTCOME_NOT_RECORDED]
    early = relationship(
        matched=10,
        oldest_unanswered_plan_on=day(3),
        last_unanswered_plan_on=day(3),
        unanswered_plans=1,
        next_review_on=day(20),
    )
    assert findings_for_relationship(early, TODAY) == []


def test_never_started_and_released_shows_the_release_flag_alone():
    """Matched in custody 60 days ago, never met, released 8 days ago: only 'No contact since
    release', which says no meeting was held since the match."""
    r = relationship(matched=60, released_on=day(8))
    found = findings_for_relationship(r, TODAY)
    assert [f.kind for f in found] == [Kind.NO_CONTACT_AFTER_RELEASE]
    assert found[0].evidence.endswith("No meeting has been held since the match on 1 Jan 2026.")


def test_never_started_and_paused_shows_nothing():
    """Paused before any meeting: no flag (stalling rules never apply to a paused one)."""
    r = relationship(matched=90, status=Relationship.Status.PAUSED, next_review_on=day(30))
    assert findings_for_relationship(r, TODAY) == []


def test_once_a_meeting_is_held_the_other_rules_come_back():
    """One meeting held 40 days ago, review overdue, scores flat: silence, review overdue and
    flat scores all found again."""
    housing = NeedDomain.ACCOMMODATION
    r = relationship(
        matched=90,
        held_count=1,
        recent_held=days(40),
        recent=contacts(40),
        next_review_on=day(30),
        reviews=[review(35, {housing: 4}), review(45, {housing: 4})],
    )
    kinds = {f.kind for f in findings_for_relationship(r, TODAY)}
    assert {Kind.SILENCE, Kind.REVIEW_OVERDUE, Kind.SCORES_FLAT} <= kinds
