"""Each dependency rule through the real sweep, on crafted timelines in the database: the
sweep reads the facts the rule needs, raises the flag with the right evidence, does not raise
it just under the threshold, and resolves it once the condition clears.

The rules' own edges (thresholds, windows, wording) are tested without a database, on
hand-built facts, in ``flags/tests/rules/``."""

import pytest

from accounts.tests.factories import UserFactory
from flags.models import Kind
from flags.tests.timeline import (
    TODAY,
    assert_resolved,
    at,
    day,
    evidence,
    live,
    meet,
    relationship,
    review_with_scores,
    two_goals,
)
from relationships.models import Driving, Goal, Meeting, Party, Relationship
from relationships.tests.factories import GoalFactory, ReviewFactory

pytestmark = pytest.mark.django_db


# --- Dependency -----------------------------------------------------------------------------


def test_mentor_driving(scheme):
    """Who started each contact is read: the mentor starting 7 of the last 8 raises it, 6 of 8
    does not, and two newer contacts started by the mentee resolve it."""
    driven = relationship(scheme)
    meet(driven, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, initiated_by=Party.MENTOR)
    Meeting.objects.filter(relationship=driven, held_at__lt=at(15)).update(
        initiated_by=Party.MENTEE
    )  # the last eight: 2..16: 7 by the mentor, 16 by the mentee
    Meeting.objects.filter(relationship=driven, held_at=at(16)).update(initiated_by=Party.MENTEE)
    under = relationship(scheme)
    meet(under, 2, 4, 6, 8, 10, 12, initiated_by=Party.MENTOR)
    meet(under, 14, 16, initiated_by=Party.MENTEE)  # 6 of 8 = 75%
    assert evidence(Kind.MENTOR_DRIVING, driven) == (
        "The mentor initiated 7 of the last 8 contacts held (88%; flagged at 80%)."
    )
    assert live(Kind.MENTOR_DRIVING, under) is None
    meet(driven, 1, 0, initiated_by=Party.MENTEE)  # the last eight: 5 by the mentor
    assert_resolved(Kind.MENTOR_DRIVING, driven)


def test_done_for(scheme):
    """Each meeting's purpose is read: help done for the mentee at 3 of the last 6 raises it, 2
    does not, and newer meetings of help done with them resolve it."""
    taxi = relationship(scheme)
    meet(taxi, 2, 4, 6, purpose=Meeting.Purpose.HELP_FOR)
    meet(taxi, 8, 10, 12, purpose=Meeting.Purpose.HELP_WITH)
    under = relationship(scheme)
    meet(under, 2, 4, purpose=Meeting.Purpose.HELP_FOR)
    meet(under, 6, 8, 10, 12, purpose=Meeting.Purpose.GOALS)
    assert evidence(Kind.DONE_FOR, taxi) == (
        "Practical help was done for the mentee, rather than with them, in 3 of the last 6 "
        "meetings."
    )
    assert live(Kind.DONE_FOR, under) is None
    meet(taxi, 0, 1, 3, 5, purpose=Meeting.Purpose.HELP_WITH)  # last six: 2 of 6 done for
    assert_resolved(Kind.DONE_FOR, taxi)


def test_too_long_after_all_goals_are_achieved(scheme):
    """Goals achieved and their closing date are read: meetings 29 days after the last goal was
    achieved raise it, 28 do not, and an ending plan resolves it."""
    r = relationship(scheme, matched=200)
    GoalFactory(relationship=r, status=Goal.Status.ACHIEVED, closed_on=day(60), agreed_on=day(190))
    meet(r, 80, 50, 31)
    under = relationship(scheme, matched=200)
    GoalFactory(
        relationship=under, status=Goal.Status.ACHIEVED, closed_on=day(60), agreed_on=day(190)
    )
    meet(under, 80, 50, 32)  # 28 days after: exactly four weeks
    assert evidence(Kind.TOO_LONG, r) == (
        "On 1 Jan 2026 the one goal was achieved, yet meetings carried on for 4 weeks after, "
        "with no ending plan."
    )
    assert live(Kind.TOO_LONG, under) is None
    r.status, r.exit_plan = Relationship.Status.ENDING, "Two more meetings, then close."
    r.save()
    assert_resolved(Kind.TOO_LONG, r)


def test_too_long_past_the_schemes_cap(scheme):
    """The day the scheme's cap on meetings was reached is read (the third meeting held): a
    meeting 29 days later raises it, 28 does not, and an ending plan resolves it."""
    scheme.cap_meetings = 3
    scheme.save()
    r = relationship(scheme, matched=100)
    meet(r, 90, 80, 70, 60, 41)  # the third meeting, on day 70; still meeting 29 days later
    GoalFactory(relationship=r)  # a goal still open: the cap alone decides
    under = relationship(scheme, matched=100)
    meet(under, 90, 80, 70, 60, 42)  # 28 days later
    assert evidence(Kind.TOO_LONG, r) == (
        "On 22 Dec 2025 the scheme's cap of 3 meetings was reached, yet meetings carried on "
        "for 4 weeks after, with no ending plan."
    )
    assert live(Kind.TOO_LONG, under) is None
    r.status, r.exit_plan = Relationship.Status.ENDING, "Close at the next meeting."
    r.save()
    assert_resolved(Kind.TOO_LONG, r)


def test_too_long_past_the_schemes_cap_in_weeks(scheme):
    """The scheme's cap in weeks is read and counted from the match: a meeting 29 days after it
    passed raises it, 28 does not, and an exit plan resolves it."""
    scheme.cap_weeks = 10
    scheme.save()
    r = relationship(scheme, matched=110)  # the cap passed on day 40
    meet(r, 100, 50, 11)  # 29 days after the cap
    under = relationship(scheme, matched=110)
    meet(under, 100, 50, 12)  # 28 days after
    assert evidence(Kind.TOO_LONG, r) == (
        "On 21 Jan 2026 the scheme's cap of 10 weeks passed, yet meetings carried on for "
        "4 weeks after, with no ending plan."
    )
    assert live(Kind.TOO_LONG, under) is None
    r.exit_plan = "Two more, then close."
    r.save()
    assert_resolved(Kind.TOO_LONG, r)


def test_too_long_past_the_planned_end_even_with_an_exit_plan(scheme):
    """Running on past an agreed ending is the overrun the plan was meant to prevent."""
    r = relationship(
        scheme,
        matched=200,
        status=Relationship.Status.ENDING,
        exit_plan="Close after the housing move.",
        planned_end_on=day(90),
    )
    meet(r, 100, 80, 60)  # 30 days after the planned end
    under = relationship(
        scheme,
        matched=200,
        status=Relationship.Status.ENDING,
        exit_plan="Close after the housing move.",
        planned_end_on=day(90),
    )
    meet(under, 100, 62)  # 28 days after: exactly four weeks
    assert evidence(Kind.TOO_LONG, r) == (
        "The agreed ending was planned for 2 Dec 2025, yet meetings carried on for 4 weeks "
        "after it."
    )
    assert live(Kind.TOO_LONG, under) is None
    r.status, r.closed_on = Relationship.Status.CLOSED, TODAY
    r.save()
    assert_resolved(Kind.TOO_LONG, r)


def test_contact_rising_while_scores_flat(scheme):
    """Meetings held in the last four weeks and the four before are counted: 6 against 3 with
    flat scores raises it, 4 against 3 does not, and a review with progress resolves it."""
    r = relationship(scheme, matched=120)
    housing, work = two_goals(r)
    review_with_scores(r, 60, {housing: 5, work: 5})
    review_with_scores(r, 20, {housing: 5, work: 5})
    meet(r, 50, 40, 35)  # 3 in the four weeks before the last four
    meet(r, 27, 20, 14, 10, 6, 2)  # 6 in the last four weeks
    under = relationship(scheme, matched=120)
    h2, w2 = two_goals(under)
    review_with_scores(under, 60, {h2: 5, w2: 5})
    review_with_scores(under, 20, {h2: 5, w2: 5})
    meet(under, 50, 40, 35)
    meet(under, 27, 14, 6, 2)  # 4 against 3: not rising enough
    assert evidence(Kind.CONTACT_RISING, r) == (
        "6 meetings held in the last 4 weeks against 3 in the 4 before, while the mean goal "
        "score went from 5 to 5 between the last two reviews."
    )
    assert live(Kind.CONTACT_RISING, under) is None
    review_with_scores(r, 1, {housing: 7, work: 6})
    assert_resolved(Kind.CONTACT_RISING, r)


def test_mentee_steps_falling(scheme):
    """Steps and the mentee's share at the last two reviews are read: a fall raises it, the same
    share does not, and a newer review with the share back resolves it."""
    r = relationship(scheme)
    meet(r, 2)
    ReviewFactory(
        relationship=r,
        held_on=day(50),
        steps_total=8,
        steps_owned_by_mentee=4,
        recorded_by=UserFactory(),
    )
    ReviewFactory(
        relationship=r,
        held_on=day(8),
        steps_total=7,
        steps_owned_by_mentee=2,
        recorded_by=UserFactory(),
    )
    same = relationship(scheme)
    meet(same, 2)
    ReviewFactory(
        relationship=same,
        held_on=day(50),
        steps_total=8,
        steps_owned_by_mentee=4,
        recorded_by=UserFactory(),
    )
    ReviewFactory(
        relationship=same,
        held_on=day(8),
        steps_total=6,
        steps_owned_by_mentee=3,
        recorded_by=UserFactory(),
    )
    assert evidence(Kind.MENTEE_STEPS_FALLING, r) == (
        "The mentee owned 4 of 8 steps (50%) at the review on 11 Jan 2026, and 2 of 7 (29%) "
        "at the review on 22 Feb 2026."
    )
    assert live(Kind.MENTEE_STEPS_FALLING, same) is None
    ReviewFactory(
        relationship=r,
        held_on=day(1),
        steps_total=6,
        steps_owned_by_mentee=3,
        recorded_by=UserFactory(),
    )
    assert_resolved(Kind.MENTEE_STEPS_FALLING, r)


def test_driving_gap(scheme):
    """Both views of who leads at the latest review are read: shared against mentor-led raises
    it, agreement does not, and a newer review in agreement resolves it."""
    r = relationship(scheme)
    meet(r, 2)
    ReviewFactory(
        relationship=r,
        held_on=day(8),
        mentor_driving=Driving.SHARED,
        mentee_driving=Driving.MENTOR_LED,
        recorded_by=UserFactory(),
    )
    agreed = relationship(scheme)
    meet(agreed, 2)
    ReviewFactory(
        relationship=agreed,
        held_on=day(8),
        mentor_driving=Driving.MENTOR_LED,
        mentee_driving=Driving.MENTOR_LED,
        recorded_by=UserFactory(),
    )
    assert evidence(Kind.DRIVING_GAP, r) == (
        "At the review on 22 Feb 2026 the mentor said the relationship is shared; the mentee "
        "said it is mentor-led."
    )
    assert live(Kind.DRIVING_GAP, agreed) is None
    ReviewFactory(
        relationship=r,
        held_on=day(1),
        mentor_driving=Driving.SHARED,
        mentee_driving=Driving.SHARED,
        recorded_by=UserFactory(),
    )
    assert_resolved(Kind.DRIVING_GAP, r)
