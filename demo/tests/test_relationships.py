"""The demo data has relationships in every state, kept as the services would have kept them,
and the patterns a coordinator must be able to spot: healthy, stalled, mentor-driven, too long."""

import datetime
from itertools import pairwise

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Membership
from demo.management.commands.seed_demo import DEMO_LOGINS
from demo.tests.seeding import seeded_once
from mentees.models import Referral
from relationships.models import (
    Driving,
    Goal,
    Meeting,
    Party,
    Relationship,
    RelationshipChange,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
RS = Relationship.Status
REFERRAL_FOR = {
    RS.INTRODUCED: "matched",
    RS.ACTIVE: "active",
    RS.PAUSED: "active",
    RS.ENDING: "active",
    RS.CLOSED: "ended",
}


#: Seeded once for the module (demo/tests/seeding.py).
seeded_module = seeded_once("--seed", "5")


@pytest.fixture
def seeded(seeded_module, db) -> None:
    """The demo, for one case (in a savepoint of its own)."""


def meetings_of(relationship: Relationship) -> list[Meeting]:
    return list(relationship.meetings.order_by("held_at"))


def test_every_state_is_there_with_what_it_needs(seeded):
    """Introduced, active, paused (with an open pause), ending (with an exit plan), closed
    planned and unplanned (with reasons), and one reopened after closing."""
    assert set(Relationship.objects.values_list("status", flat=True)) == set(RS.values)
    for paused in Relationship.objects.filter(status=RS.PAUSED):
        assert paused.pauses.filter(ends_on=None).count() == 1
    assert not Relationship.objects.filter(status=RS.ENDING, exit_plan="").exists()
    closed = Relationship.objects.filter(status=RS.CLOSED)
    assert {"planned", "unplanned"} <= set(closed.values_list("closure_type", flat=True))
    assert not closed.filter(Q(closure_reason="") | Q(closure_type="")).exists()
    assert RelationshipChange.objects.filter(from_status=RS.CLOSED, to_status=RS.ACTIVE).exists()


def test_the_seeded_histories_are_what_the_services_would_have_written(seeded):
    """Each change in date order, from the state before, ending at the current state; the
    first held meeting makes a match active; next review only while open; referrals follow;
    meetings only between matching and closure, never in the future."""
    now = timezone.now()
    referral_status = dict(Referral.objects.values_list("mentee_id", "status"))
    for r in Relationship.objects.prefetch_related("changes", "meetings"):
        changes = sorted(r.changes.all(), key=lambda c: c.pk)  # the order they were made
        assert (changes[0].from_status, changes[0].to_status) == ("", RS.INTRODUCED)
        assert changes[0].on == r.matched_on and changes[-1].to_status == r.status
        assert all(b.from_status == a.to_status and a.on <= b.on for a, b in pairwise(changes))
        held = sorted(m.held_at for m in r.meetings.all() if m.outcome == Meeting.Outcome.MET)
        if r.status == RS.INTRODUCED:
            assert not held
        if held:
            activated = next(c for c in changes if c.to_status == RS.ACTIVE)
            assert activated.on == timezone.localtime(held[0]).date()
        assert (r.next_review_on is None) == (r.status == RS.CLOSED)
        assert referral_status[r.mentee_id] == REFERRAL_FOR[r.status]
        for m in r.meetings.all():
            day = timezone.localtime(m.held_at).date()
            assert r.matched_on <= day and m.held_at < now
            assert r.closed_on is None or day <= r.closed_on
    assert not Meeting.objects.exclude(note_private="").exists()
    assert Goal.objects.values("domain").distinct().count() > 3
    assert Goal.objects.values("primary_good").distinct().count() > 3


def _mentee_share(meetings: list[Meeting]) -> float:
    return sum(m.initiated_by == Party.MENTEE for m in meetings) / len(meetings)


def test_there_are_healthy_relationships(seeded):
    """Regular held meetings, mostly started by the mentee lately, mixed purposes, scores
    rising from the first review to the last."""
    found = []
    today = timezone.localdate()
    for r in Relationship.objects.filter(status=RS.ACTIVE):
        meetings = meetings_of(r)
        if len(meetings) < 10:
            continue
        last = meetings[-10:]
        recent = (today - timezone.localtime(last[-1].held_at).date()).days <= 7
        reviews = [v for v in r.reviews.prefetch_related("scores") if v.scores.all()]
        if not recent or len(reviews) < 2:
            continue
        first = sum(s.score for s in reviews[0].scores.all()) / len(reviews[0].scores.all())
        final = sum(s.score for s in reviews[-1].scores.all()) / len(reviews[-1].scores.all())
        if (
            _mentee_share(last) >= 0.4
            and len({m.purpose for m in meetings}) >= 3
            and sum(m.outcome == "met" for m in last) >= 7
            and final > first
        ):
            found.append(r)
    assert found


def test_there_are_stalled_relationships_of_each_kind(seeded):
    """Matched weeks ago and never met; gaps growing into silence; a run of missed meetings."""
    today = timezone.localdate()
    never = Relationship.objects.filter(
        status=RS.INTRODUCED, matched_on__lte=today - datetime.timedelta(weeks=3)
    ).exclude(meetings__outcome="met")
    assert never.exists()
    fading = missed = False
    for r in Relationship.objects.filter(status=RS.ACTIVE):
        meetings = meetings_of(r)
        days = [timezone.localtime(m.held_at).date() for m in meetings]
        gaps = [(b - a).days for a, b in pairwise(days)]
        if len(gaps) >= 6 and (today - days[-1]).days >= 21 and gaps[-1] > 2 * gaps[0] + 5:
            fading = fading or gaps[-3:] == sorted(gaps[-3:])
        if len(meetings) >= 4 and all(m.outcome != "met" for m in meetings[-3:]):
            missed = True
    assert fading and missed
    # Stalled relationships have overdue reviews.
    assert Relationship.objects.filter(status=RS.ACTIVE, next_review_on__lt=today).exists()


def test_there_are_mentor_driven_relationships(seeded):
    """The mentor started at least 80% of the last 8 contacts, much of it help done for the
    mentee; the mentor calls it shared while the mentee calls it mentor-led; the share of
    steps the mentee owns falls from review to review."""
    found = []
    for r in Relationship.objects.filter(status=RS.ACTIVE):
        last = meetings_of(r)[-8:]
        if len(last) < 8 or sum(m.initiated_by == Party.MENTOR for m in last) < 0.8 * 8:
            continue
        reviews = list(r.reviews.all())
        views = {(v.mentor_driving, v.mentee_driving) for v in reviews}
        shares = [v.steps_owned_by_mentee / v.steps_total for v in reviews if v.steps_total]
        help_for = r.meetings.filter(purpose=Meeting.Purpose.HELP_FOR).count()
        if (
            (Driving.SHARED, Driving.MENTOR_LED) in views
            and len(shares) >= 2
            and shares[-1] < shares[0]
            and help_for >= r.meetings.count() / 3
        ):
            found.append(r)
    assert found


def test_there_are_relationships_going_on_too_long(seeded):
    """Every goal achieved months ago, meetings carrying on past the scheme's cap (or a dozen
    meetings where there is no cap), and no ending agreed."""
    found = []
    for r in Relationship.objects.filter(status=RS.ACTIVE, exit_plan="").annotate(
        open_goals=Count("goals", filter=~Q(goals__status=Goal.Status.ACHIEVED)),
        goals_count=Count("goals"),
    ):
        if r.open_goals or not r.goals_count:
            continue
        achieved = max(r.goals.values_list("closed_on", flat=True))
        after = r.meetings.filter(held_at__date__gt=achieved + datetime.timedelta(days=60))
        cap = r.mentee.scheme.cap_meetings or 12
        if after.count() > cap:
            found.append(r)
    assert found


def test_the_demo_logins_show_varied_relationships(seeded):
    """The demo mentor has several mentees in different states; each of the demo
    coordinator's schemes has every state."""
    mine = Relationship.objects.filter(mentor__user__email=DEMO_LOGINS["mentor"])
    open_ones = mine.exclude(status=RS.CLOSED)
    assert open_ones.count() >= 5
    assert set(mine.values_list("status", flat=True)) == set(RS.values)
    schemes = list(
        Membership.objects.filter(user__email=DEMO_LOGINS["coordinator"]).values_list(
            "scheme_id", flat=True
        )
    )
    # By scheme ids: a five-table join over freshly loaded, unanalysed tables can be planned
    # as nested loops that run for minutes.
    coordinated = Relationship.objects.filter(mentee__scheme_id__in=schemes)
    assert set(coordinated.values_list("status", flat=True)) == set(RS.values)
    assert Meeting.objects.filter(relationship__in=coordinated).count() > 500
