"""Each rule through the real sweep, on crafted timelines in the database with time fixed at
``TODAY``: the sweep reads the facts the rule needs, raises the flag with the right evidence,
does not raise it just under the threshold, and resolves it once the condition clears.

The rules' own edges (thresholds, windows, paused time, wording) are tested without a
database, on hand-built facts, in ``flags/tests/rules/``."""

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from flags.models import Flag, Kind
from flags.sweep import sweep
from mentees.models import NeedDomain, Referral
from mentees.tests.factories import MenteeFactory, ReferralFactory
from relationships.models import Driving, Goal, GoalScore, Meeting, Party, Pause, Relationship
from relationships.tests.factories import (
    GoalFactory,
    MeetingFactory,
    RelationshipFactory,
    ReviewFactory,
)
from schemes.tests.factories import SchemeFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


def day(n: int) -> datetime.date:
    """``n`` days before TODAY."""
    return TODAY - datetime.timedelta(days=n)


def at(n: int) -> datetime.datetime:
    """Noon, local time, ``n`` days before TODAY."""
    return timezone.make_aware(datetime.datetime.combine(day(n), datetime.time(12)))


@pytest.fixture
def scheme():
    return SchemeFactory(name="Flagtown Mentoring")  # expected contact every 7 days


def relationship(scheme, *, matched: int = 60, **kw) -> Relationship:
    kw.setdefault("status", Relationship.Status.ACTIVE)
    return RelationshipFactory(
        mentee=MenteeFactory(scheme=scheme, family_name="Flagworth"),
        matched_on=day(matched),
        **kw,
    )


def meet(r: Relationship, *days_ago: int, **kw) -> None:
    for n in days_ago:
        MeetingFactory(relationship=r, held_at=at(n), **kw)


def live(kind: str, target) -> Flag | None:
    field = "relationship" if isinstance(target, Relationship) else "referral"
    return Flag.objects.filter(kind=kind, status__in=Flag.LIVE_STATUSES, **{field: target}).first()


def evidence(kind: str, target, today: datetime.date = TODAY) -> str | None:
    sweep(today=today)
    flag = live(kind, target)
    return flag.evidence if flag else None


def assert_resolved(kind: str, target, today: datetime.date = TODAY) -> None:
    sweep(today=today)
    assert live(kind, target) is None
    flag = Flag.objects.get(
        kind=kind, **{"relationship" if isinstance(target, Relationship) else "referral": target}
    )
    assert flag.status == Flag.Status.RESOLVED
    assert flag.resolved_by is None and flag.resolution_note == "The condition cleared."


# --- Stalling -------------------------------------------------------------------------------


def test_no_first_meeting(scheme):
    """Matched 15 days ago with no meeting: raised; 14 days: not; a meeting logged resolves it."""
    late = relationship(scheme, matched=15, status=Relationship.Status.INTRODUCED)
    on_time = relationship(scheme, matched=14, status=Relationship.Status.INTRODUCED)
    assert evidence(Kind.NO_FIRST_MEETING, late) == (
        "Matched 15 days ago, and no meeting held yet (flagged after 14)."
    )
    assert live(Kind.NO_FIRST_MEETING, on_time) is None
    meet(late, 1)
    assert_resolved(Kind.NO_FIRST_MEETING, late)


def test_no_first_meeting_does_not_count_paused_days(scheme):
    """Pauses are read from the database and their days left out of the time since the match, as
    their dates change."""
    r = relationship(scheme, matched=20, status=Relationship.Status.INTRODUCED)
    Pause.objects.create(
        relationship=r, reason=Pause.Reason.HOSPITAL, starts_on=day(18), ends_on=day(12)
    )
    assert live(Kind.NO_FIRST_MEETING, r) is None and evidence(Kind.NO_FIRST_MEETING, r) is None
    Pause.objects.update(ends_on=day(10))
    sweep(today=TODAY)
    assert live(Kind.NO_FIRST_MEETING, r) is None  # 20 - 8 paused = 12 days
    Pause.objects.update(ends_on=day(15))
    assert evidence(Kind.NO_FIRST_MEETING, r) == (
        "Matched 17 days ago, not counting 3 days paused, and no meeting held yet "
        "(flagged after 14)."
    )


def test_no_contact_after_release(scheme):
    """The mentee's release date is read: no contact 8 days after release raises a high flag, 7
    days does not, and a meeting at the prison gate resolves it. A custody visit before release
    does not count as contact after it."""
    r = relationship(scheme, matched=40)
    meet(r, 30, mode=Meeting.Mode.CUSTODY_VISIT)
    r.mentee.released_on = day(8)
    r.mentee.save()
    just = relationship(scheme, matched=40)
    meet(just, 30)
    just.mentee.released_on = day(7)
    just.mentee.save()
    assert evidence(Kind.NO_CONTACT_AFTER_RELEASE, r) == (
        "Released 8 days ago, on 22 Feb 2026, and no contact since (expected within 7)."
    )
    assert live(Kind.NO_CONTACT_AFTER_RELEASE, just) is None
    assert live(Kind.NO_CONTACT_AFTER_RELEASE, r).severity == 3  # high
    meet(r, 0, mode=Meeting.Mode.PRISON_GATE)
    assert_resolved(Kind.NO_CONTACT_AFTER_RELEASE, r)


def test_silence(scheme):
    """The last meeting held is read: 15 days ago raises it, 14 does not, a new meeting resolves
    it."""
    quiet = relationship(scheme)
    meet(quiet, 40, 30, 15)
    under = relationship(scheme)
    meet(under, 40, 30, 14)
    assert evidence(Kind.SILENCE, quiet) == (
        "No meeting held for 15 days: the last was on 15 Feb 2026. "
        "The scheme expects one every 7 days."
    )
    assert live(Kind.SILENCE, under) is None
    meet(quiet, 2)
    assert_resolved(Kind.SILENCE, quiet)


def test_silence_does_not_count_paused_time_and_paused_relationships_raise_no_stalling(scheme):
    """Paused days are left out of the silence; a relationship whose status is paused gets no
    stalling flag at all."""
    r = relationship(scheme)
    meet(r, 40, 30)
    Pause.objects.create(
        relationship=r, reason=Pause.Reason.CUSTODY, starts_on=day(28), ends_on=day(10)
    )
    assert evidence(Kind.SILENCE, r) is None  # 30 days, 18 of them paused: 12
    r.status = Relationship.Status.PAUSED
    r.save()
    Pause.objects.update(ends_on=None)
    sweep(today=TODAY)
    assert not Flag.objects.filter(relationship=r, status__in=Flag.LIVE_STATUSES).exists()


def test_a_missed_meeting_is_not_a_meeting_held(scheme):
    """A meeting the mentee did not attend does not end a silence: only meetings held count."""
    r = relationship(scheme)
    meet(r, 30)
    meet(r, 3, outcome=Meeting.Outcome.DID_NOT_ATTEND)
    assert evidence(Kind.SILENCE, r).startswith("No meeting held for 30 days")


def test_gaps_growing(scheme):
    """The last four meetings held are read: gaps of 8, 9 then 10 days raise it, 8, 9, 9 do not,
    and a newer meeting resolves it."""
    growing = relationship(scheme)
    meet(growing, 35, 27, 18, 8)  # gaps 8, 9, 10: each longer, the latest over 7
    steady = relationship(scheme)
    meet(steady, 35, 27, 18, 9)  # gaps 8, 9, 9
    assert evidence(Kind.GAPS_GROWING, growing) == (
        "The last three gaps between meetings grew: 8, 9 then 10 days (the scheme expects 7)."
    )
    assert live(Kind.GAPS_GROWING, steady) is None
    meet(growing, 4)  # gaps 9, 10, 4
    assert_resolved(Kind.GAPS_GROWING, growing)


def test_missed_meetings(scheme):
    """Meetings of every outcome are read as arranged: 3 of the last 5 missed raises it, 2 do
    not, and newer meetings held resolve it."""
    r = relationship(scheme)
    meet(r, 12, 6)
    meet(r, 15, 9, 3, outcome=Meeting.Outcome.DID_NOT_ATTEND)
    under = relationship(scheme)
    meet(under, 12, 6, 2)
    meet(under, 9, 3, outcome=Meeting.Outcome.DID_NOT_ATTEND)
    assert evidence(Kind.MISSED_MEETINGS, r) == (
        "The mentee did not attend 3 of the last 5 arranged meetings."
    )
    assert live(Kind.MISSED_MEETINGS, under) is None
    meet(r, 2, 1)  # the last five: 9 (missed), 6, 3 (missed), 2, 1
    assert_resolved(Kind.MISSED_MEETINGS, r)


def test_review_overdue(scheme):
    """The next review date is read: 15 days overdue raises it, 14 does not, and moving the date
    on (a review held) resolves it."""
    r = relationship(scheme, next_review_on=day(15))
    under = relationship(scheme, next_review_on=day(14))
    meet(r, 1)
    meet(under, 1)
    assert evidence(Kind.REVIEW_OVERDUE, r) == (
        "The review due on 15 Feb 2026 is 15 days overdue (flagged after 14)."
    )
    assert live(Kind.REVIEW_OVERDUE, under) is None
    r.next_review_on = day(-42)  # a review was held
    r.save()
    assert_resolved(Kind.REVIEW_OVERDUE, r)


def _review(r, held: int, scores: dict, **kw):
    review = ReviewFactory(relationship=r, held_on=day(held), recorded_by=UserFactory(), **kw)
    for goal, score in scores.items():
        GoalScore.objects.create(review=review, goal=goal, domain=goal.domain, score=score)
    return review


def _goals(r):
    housing = GoalFactory(relationship=r, domain=NeedDomain.ACCOMMODATION, agreed_on=day(60))
    work = GoalFactory(relationship=r, domain=NeedDomain.ETE, title="A job", agreed_on=day(60))
    return housing, work


def test_scores_flat(scheme):
    """Reviews and their goal scores are read per domain: the same scores at the last two
    reviews raise it, a moved score does not, and a newer review with progress resolves it."""
    r = relationship(scheme)
    meet(r, 3)
    housing, work = _goals(r)
    _review(r, 50, {housing: 4, work: 6})
    _review(r, 8, {housing: 4, work: 6})
    moving = relationship(scheme)
    meet(moving, 3)
    h2, w2 = _goals(moving)
    _review(moving, 50, {h2: 4, w2: 6})
    _review(moving, 8, {h2: 5, w2: 6})
    assert evidence(Kind.SCORES_FLAT, r) == (
        "Goal scores unchanged between the reviews on 11 Jan 2026 and 22 Feb 2026: "
        "Accommodation 4, Education, training and employment 6."
    )
    assert live(Kind.SCORES_FLAT, moving) is None
    _review(r, 1, {housing: 6, work: 6})
    assert_resolved(Kind.SCORES_FLAT, r)


def test_waiting_for_match(scheme):
    """A referral's wait is read from when it began awaiting a match: 22 days raises it, 21 does
    not, and matching resolves it."""
    waiting = ReferralFactory(
        mentee__scheme=scheme,
        status=Referral.Status.AWAITING_MATCH,
        referred_on=day(40),
        status_changed_on=day(22),
    )
    under = ReferralFactory(
        mentee__scheme=scheme,
        status=Referral.Status.AWAITING_MATCH,
        referred_on=day(40),
        status_changed_on=day(21),
    )
    for referral in (waiting, under):
        referral.contact_attempts.create(
            attempted_on=day(1), channel="phone", outcome="spoke", by=UserFactory()
        )
    assert evidence(Kind.WAITING_FOR_MATCH, waiting) == (
        "Waiting for a match for 22 days, since 8 Feb 2026 (flagged after 21)."
    )
    assert live(Kind.WAITING_FOR_MATCH, under) is None
    Referral.objects.filter(pk=waiting.pk).update(status=Referral.Status.MATCHED)
    assert_resolved(Kind.WAITING_FOR_MATCH, waiting)


def test_no_contact_attempt(scheme):
    """With no contact attempt logged the wait counts from the referral: 11 days raises it, 10
    does not, and logging an attempt resolves it."""
    silent = ReferralFactory(mentee__scheme=scheme, referred_on=day(11), status_changed_on=day(11))
    under = ReferralFactory(mentee__scheme=scheme, referred_on=day(10), status_changed_on=day(10))
    assert evidence(Kind.NO_CONTACT_ATTEMPT, silent) == (
        "No contact attempt logged for 11 days: none since the referral on 19 Feb 2026 "
        "(flagged after 10)."
    )
    assert live(Kind.NO_CONTACT_ATTEMPT, under) is None
    silent.contact_attempts.create(
        attempted_on=day(0), channel="phone", outcome="no_answer", by=UserFactory()
    )
    assert_resolved(Kind.NO_CONTACT_ATTEMPT, silent)


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
        "The mentor initiated 7 of the last 8 contacts (88%; flagged at 80%)."
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


def test_contact_rising_while_scores_flat(scheme):
    """Meetings held in the last four weeks and the four before are counted: 6 against 3 with
    flat scores raises it, 4 against 3 does not, and a review with progress resolves it."""
    r = relationship(scheme, matched=120)
    housing, work = _goals(r)
    _review(r, 60, {housing: 5, work: 5})
    _review(r, 20, {housing: 5, work: 5})
    meet(r, 50, 40, 35)  # 3 in the four weeks before the last four
    meet(r, 27, 20, 14, 10, 6, 2)  # 6 in the last four weeks
    under = relationship(scheme, matched=120)
    h2, w2 = _goals(under)
    _review(under, 60, {h2: 5, w2: 5})
    _review(under, 20, {h2: 5, w2: 5})
    meet(under, 50, 40, 35)
    meet(under, 27, 14, 6, 2)  # 4 against 3: not rising enough
    assert evidence(Kind.CONTACT_RISING, r) == (
        "6 meetings held in the last 4 weeks against 3 in the 4 before, while the mean goal "
        "score went from 5 to 5 between the last two reviews."
    )
    assert live(Kind.CONTACT_RISING, under) is None
    _review(r, 1, {housing: 7, work: 6})
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


# --- The flag's life ------------------------------------------------------------------------


def test_thresholds_are_the_schemes_own(scheme):
    """The sweep reads each scheme's own thresholds: 20 days unmatched is not flagged at 30
    days, and is at 10."""
    scheme.flag_no_first_meeting_days = 30
    scheme.save()
    r = relationship(scheme, matched=20, status=Relationship.Status.INTRODUCED)
    assert evidence(Kind.NO_FIRST_MEETING, r) is None
    scheme.flag_no_first_meeting_days = 10
    scheme.save()
    assert evidence(Kind.NO_FIRST_MEETING, r) == (
        "Matched 20 days ago, and no meeting held yet (flagged after 10)."
    )


def test_evidence_is_kept_up_to_date_on_the_same_flag(scheme):
    """A later sweep updates the evidence of the live flag rather than raising another."""
    r = relationship(scheme, matched=15, status=Relationship.Status.INTRODUCED)
    sweep(today=TODAY)
    first = live(Kind.NO_FIRST_MEETING, r)
    sweep(today=TODAY + datetime.timedelta(days=2))
    again = live(Kind.NO_FIRST_MEETING, r)
    assert again.pk == first.pk
    assert again.evidence.startswith("Matched 17 days ago")
    assert Flag.objects.filter(relationship=r).count() == 1


def test_a_closed_relationship_has_its_flags_resolved(scheme):
    """Closing a relationship takes it out of the sweep, which resolves its live flags."""
    r = relationship(scheme, matched=15, status=Relationship.Status.INTRODUCED)
    sweep(today=TODAY)
    r.status, r.closed_on = Relationship.Status.CLOSED, TODAY
    r.save()
    assert_resolved(Kind.NO_FIRST_MEETING, r)


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
