"""The watcher reads planned meetings, through the real sweep on crafted timelines at a fixed
date: an outcome not recorded is flagged after the scheme's days and clears when answered;
an answered plan counts once, as its logged meeting; silence is measured against the last
plan; a relationship that never started shows one flag. The rules' edges are tested on
hand-built facts in ``flags/tests/rules/``."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from flags.models import Flag, Kind
from flags.selectors import mentor_prompts_for
from flags.sweep import sweep
from flags.tests.timeline import (
    TODAY,
    assert_resolved,
    at,
    day,
    evidence,
    live,
    meet,
    relationship,
)
from relationships.meetings.plan_transitions import plan_transition
from relationships.models import Meeting, Party, PlannedMeeting, Relationship
from relationships.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db
PS = PlannedMeeting.Status


def plan(r: Relationship, days_ago: int) -> PlannedMeeting:
    """A meeting planned for noon ``days_ago`` days before TODAY (negative: ahead), waiting."""
    return PlannedMeeting.objects.create(
        relationship=r,
        starts_at=at(days_ago),
        mode=Meeting.Mode.FACE_TO_FACE,
        place=PlannedMeeting.Place.COMMUNITY_VENUE,
        planned_by=UserFactory(),
    )


def answer(p: PlannedMeeting, to: str) -> PlannedMeeting:
    """Answer ``p`` as the decided semantics do: a meeting logged with the outcome (held:
    met), linked to the plan."""
    outcome = Meeting.Outcome.MET if to == PS.HELD else to
    meeting = MeetingFactory(
        relationship=p.relationship,
        held_at=p.starts_at,
        outcome=outcome,
        purpose=Meeting.Purpose.GOALS if to == PS.HELD else Meeting.Purpose.NOT_RECORDED,
        duration_minutes=60 if to == PS.HELD else 0,
    )
    return plan_transition(plan=p, to=to, by=UserFactory(), at=p.starts_at, meeting=meeting)


# --- Outcome not recorded -------------------------------------------------------------------


def test_outcome_not_recorded_is_raised_after_the_schemes_days_and_clears_when_answered(scheme):
    """A plan 4 days past with no answer raises the flag, naming the plan's day; one 3 days
    past does not; answering it (the mentee did not turn up) resolves it."""
    r = relationship(scheme)
    meet(r, 10, 5)
    late = plan(r, 4)
    under = relationship(scheme)
    meet(under, 10, 5)
    plan(under, 3)
    assert evidence(Kind.PLAN_OUTCOME_NOT_RECORDED, r) == (
        "The meeting planned for 26 Feb 2026 has had no outcome recorded for 4 days "
        "(flagged after 3). It is not counted as missed."
    )
    assert live(Kind.PLAN_OUTCOME_NOT_RECORDED, under) is None
    answer(late, PS.DID_NOT_ATTEND)
    assert_resolved(Kind.PLAN_OUTCOME_NOT_RECORDED, r)


def test_outcome_not_recorded_follows_the_schemes_days(scheme):
    """A scheme giving mentors 7 days does not flag a plan 7 days past, and does at 8."""
    scheme.flag_plan_outcome_days = 7
    scheme.save()
    r = relationship(scheme)
    meet(r, 20, 12)
    plan(r, 7)
    assert evidence(Kind.PLAN_OUTCOME_NOT_RECORDED, r) is None
    assert evidence(Kind.PLAN_OUTCOME_NOT_RECORDED, r, today=TODAY + datetime.timedelta(1)) == (
        "The meeting planned for 23 Feb 2026 has had no outcome recorded for 8 days "
        "(flagged after 7). It is not counted as missed."
    )


def test_a_plan_cancelled_ahead_or_still_to_come_raises_nothing(scheme):
    """A plan cancelled by the coordinator before its day, and one next week: no flag."""
    r = relationship(scheme)
    meet(r, 6)
    cancelled = plan(r, 5)
    plan_transition(plan=cancelled, to=PS.CANCELLED_BY_COORDINATOR, by=UserFactory(), at=at(8))
    plan(r, -7)
    sweep(today=TODAY)
    assert not Flag.objects.filter(relationship=r).exists()


def test_the_mentor_is_asked_about_the_plan_by_its_day(scheme):
    """The mentor's prompt for the flag names the plan's day in their words."""
    r = relationship(scheme)
    meet(r, 10, 6)
    plan(r, 5)
    sweep(today=TODAY)
    assert mentor_prompts_for([r.pk])[r.pk] == [
        "Did your meeting on 25 February happen? Tell us in one tap."
    ]


# --- Missed meetings from answered plans ----------------------------------------------------


def test_missed_meetings_count_answered_plans_once_and_unanswered_plans_not_at_all(scheme):
    """Five plans, three answered 'did not turn up' and two held, each with its logged meeting:
    'missed' reads 3 of the last 5, not 6 of 10. A relationship with two missed and three
    plans unanswered is not flagged as missing meetings."""
    r = relationship(scheme)
    for days_ago, to in (
        (15, PS.DID_NOT_ATTEND),
        (12, PS.HELD),
        (9, PS.DID_NOT_ATTEND),
        (6, PS.HELD),
        (3, PS.DID_NOT_ATTEND),
    ):
        answer(plan(r, days_ago), to)
    waiting = relationship(scheme)
    for days_ago, to in ((20, PS.DID_NOT_ATTEND), (18, PS.HELD), (16, PS.DID_NOT_ATTEND)):
        answer(plan(waiting, days_ago), to)
    for days_ago in (8, 6, 4):
        plan(waiting, days_ago)
    assert evidence(Kind.MISSED_MEETINGS, r) == (
        "The mentee did not attend 3 of the last 5 arranged meetings."
    )
    assert live(Kind.MISSED_MEETINGS, r).figures == {"missed": 3, "arranged": 5, "threshold": 3}
    assert live(Kind.MISSED_MEETINGS, waiting) is None
    assert live(Kind.PLAN_OUTCOME_NOT_RECORDED, waiting) is not None


# --- Silence against the last plan ----------------------------------------------------------


def test_silence_stands_down_while_a_meeting_is_planned_and_returns_when_it_is_cancelled(scheme):
    """Last met 30 days ago with a meeting planned for next week: not silent. Once the plan is
    cancelled ahead of its day, the silence is flagged."""
    r = relationship(scheme)
    meet(r, 40, 30)
    ahead = plan(r, -7)
    assert evidence(Kind.SILENCE, r) is None
    plan_transition(plan=ahead, to=PS.CANCELLED_BY_MENTOR, by=UserFactory(), at=at(1))
    assert evidence(Kind.SILENCE, r).startswith("No meeting held for 30 days")


def test_a_plan_further_ahead_than_the_expected_days_keeps_no_silence_away(scheme):
    """Last met 30 days ago with the next meeting planned 8 days ahead (the scheme expects
    one every 7): flagged, the evidence naming the plan's day; moved to 7 days ahead, the
    flag clears."""
    r = relationship(scheme)
    meet(r, 40, 30)
    ahead = plan(r, -8)
    assert evidence(Kind.SILENCE, r) == (
        "No meeting held for 30 days: the last was on 31 Jan 2026. The scheme expects one "
        "every 7 days. The next planned meeting is on 10 Mar 2026."
    )
    ahead.starts_at = at(-7)
    ahead.save(update_fields=["starts_at"])
    assert_resolved(Kind.SILENCE, r)


def test_silence_counts_from_a_plan_passed_unanswered(scheme):
    """Last met 40 days ago, a plan 14 days ago unanswered: not silent. With the plan 15 days
    ago: flagged, counted from the plan, and the evidence says so. Answered 'did not turn
    up', the silence counts from the last meeting held again."""
    under = relationship(scheme)
    meet(under, 40)
    plan(under, 14)
    r = relationship(scheme)
    meet(r, 40)
    p = plan(r, 15)
    assert evidence(Kind.SILENCE, r) == (
        "No meeting recorded for 15 days since the one planned for 15 Feb 2026, whose outcome "
        "is not recorded; the last meeting held was on 21 Jan 2026. The scheme expects one "
        "every 7 days."
    )
    assert live(Kind.SILENCE, under) is None
    answer(p, PS.DID_NOT_ATTEND)
    assert evidence(Kind.SILENCE, r).startswith("No meeting held for 40 days")


# --- Mentor driving reads meetings held ----------------------------------------------------


def test_missed_plans_do_not_make_the_mentor_the_driver(scheme):
    """Eight meetings held, the last two started by the mentor, then the mentee did not turn
    up to five planned meetings (each logged as started by the mentor): the mentor started 2
    of the last 8 held, not flagged, where counting every logged meeting would say 7 of 8."""
    r = relationship(scheme)
    meet(r, 30, 28, 26, 24, 22, 20, initiated_by=Party.MENTEE)
    meet(r, 18, 16, initiated_by=Party.MENTOR)
    for days_ago in (14, 12, 10, 8, 6):
        p = plan(r, days_ago)
        meeting = MeetingFactory(
            relationship=r,
            held_at=p.starts_at,
            outcome=Meeting.Outcome.DID_NOT_ATTEND,
            purpose=Meeting.Purpose.NOT_RECORDED,
            duration_minutes=0,
            initiated_by=Party.MENTOR,
        )
        plan_transition(
            plan=p, to=PS.DID_NOT_ATTEND, by=UserFactory(), at=p.starts_at, meeting=meeting
        )
    assert evidence(Kind.MENTOR_DRIVING, r) is None


# --- A relationship that never started ------------------------------------------------------


def test_a_relationship_never_started_shows_one_flag(scheme):
    """Matched 60 days ago, never met, the review 20 days overdue, the mentee missing two
    planned meetings: only 'No first meeting', which says so; logging a first meeting
    resolves it and lets 'Review overdue' be raised."""
    r = relationship(
        scheme, matched=60, status=Relationship.Status.INTRODUCED, next_review_on=day(20)
    )
    for days_ago in (30, 20):
        answer(plan(r, days_ago), PS.DID_NOT_ATTEND)
    sweep(today=TODAY)
    flags = Flag.objects.filter(relationship=r, status__in=Flag.LIVE_STATUSES)
    assert [f.kind for f in flags] == [Kind.NO_FIRST_MEETING]
    assert flags[0].evidence == (
        "Matched 60 days ago, and no meeting held yet (flagged after 14). Since the match the "
        "mentee did not turn up to 2 meetings."
    )
    meet(r, 1)
    assert_resolved(Kind.NO_FIRST_MEETING, r)
    assert live(Kind.REVIEW_OVERDUE, r) is not None


# --- Set-based ------------------------------------------------------------------------------


def _with_plans(scheme, n: int) -> None:
    """``n`` relationships, each with a plan of every kind: ahead, passed unanswered, held
    and not attended."""
    for _ in range(n):
        r = relationship(scheme)
        meet(r, 30)
        plan(r, -3)
        plan(r, 6)
        answer(plan(r, 9), PS.HELD)
        answer(plan(r, 12), PS.DID_NOT_ATTEND)


def test_plans_cost_the_same_queries_for_2_and_12_relationships(scheme):
    """Reading plans is set-based: 2 and 12 relationships with plans cost the same queries."""
    _with_plans(scheme, 2)
    with CaptureQueriesContext(connection) as small:
        sweep(today=TODAY)
    _with_plans(scheme, 10)
    Flag.objects.all().delete()
    with CaptureQueriesContext(connection) as large:
        result = sweep(today=TODAY)
    assert result.relationships_checked == 12
    assert {f.kind for f in result.raised} == {Kind.PLAN_OUTCOME_NOT_RECORDED}
    assert len(large.captured_queries) == len(small.captured_queries)
