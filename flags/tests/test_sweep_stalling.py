"""Each stalling rule through the real sweep, on crafted timelines in the database: the
sweep reads the facts the rule needs, raises the flag with the right evidence, does not raise
it just under the threshold, and resolves it once the condition clears; and the flag's life
across sweeps.

The rules' own edges (thresholds, windows, paused time, wording) are tested without a
database, on hand-built facts, in ``flags/tests/rules/``."""

import datetime

import pytest

from accounts.tests.factories import UserFactory
from flags.models import Flag, Kind
from flags.sweep import sweep
from flags.tests.timeline import (
    TODAY,
    assert_resolved,
    day,
    evidence,
    live,
    meet,
    relationship,
    review_with_scores,
    two_goals,
)
from mentees.models import Referral
from mentees.tests.factories import ReferralFactory
from relationships.models import Meeting, Pause, Relationship

pytestmark = pytest.mark.django_db


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


def test_scores_flat(scheme):
    """Reviews and their goal scores are read per domain: the same scores at the last two
    reviews raise it, a moved score does not, and a newer review with progress resolves it."""
    r = relationship(scheme)
    meet(r, 3)
    housing, work = two_goals(r)
    review_with_scores(r, 50, {housing: 4, work: 6})
    review_with_scores(r, 8, {housing: 4, work: 6})
    moving = relationship(scheme)
    meet(moving, 3)
    h2, w2 = two_goals(moving)
    review_with_scores(moving, 50, {h2: 4, w2: 6})
    review_with_scores(moving, 8, {h2: 5, w2: 6})
    assert evidence(Kind.SCORES_FLAT, r) == (
        "Goal scores unchanged between the reviews on 11 Jan 2026 and 22 Feb 2026: "
        "Accommodation 4, Education, training and employment 6."
    )
    assert live(Kind.SCORES_FLAT, moving) is None
    review_with_scores(r, 1, {housing: 6, work: 6})
    assert_resolved(Kind.SCORES_FLAT, r)


# --- Referrals ------------------------------------------------------------------------------


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
