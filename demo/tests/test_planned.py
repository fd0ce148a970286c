"""The demo holds planned meetings in every state, answered and not, and the demo mentor's
home shows each mentee's next meeting."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from conftest import client_for
from demo.management.commands.seed_demo import DEMO_LOGINS
from relationships.models import Meeting, PlannedMeeting, Relationship

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
PS = PlannedMeeting.Status


def test_the_demo_has_a_plan_in_every_state_answered_and_not():
    """Every status has a plan; the answers after the time have their meetings (held, or
    logged with that outcome); two are unanswered after their time, one older than its
    scheme's days to answer; and the demo mentor has meetings still to come."""
    call_command("seed_demo")  # the default seed and scale, as `make run` loads them
    plans = PlannedMeeting.objects.select_related("meeting", "relationship__mentee__scheme")
    assert set(plans.values_list("status", flat=True)) == set(PS.values)
    after = plans.filter(
        status__in=[PS.HELD, *PlannedMeeting.NOT_HELD_ANSWERS], answered_at__gt=F("starts_at")
    )
    assert after.count() == 7
    for plan in after:
        expected = Meeting.Outcome.MET if plan.status == PS.HELD else plan.status
        assert plan.meeting is not None and plan.meeting.outcome == expected
    now = timezone.now()
    unanswered = list(plans.filter(status=PS.PLANNED, starts_at__lt=now))
    assert len(unanswered) == 3
    assert any(
        plan.starts_at
        < now - datetime.timedelta(days=plan.relationship.mentee.scheme.flag_plan_outcome_days)
        for plan in unanswered
    )
    assert (
        plans.filter(status__startswith="cancelled", starts_at__gt=now)
        .exclude(cancel_reason="")
        .count()
        == 3
    )
    mentor = User.objects.get(email=DEMO_LOGINS["mentor"])
    upcoming = plans.filter(relationship__mentor__user=mentor, status=PS.PLANNED, starts_at__gt=now)
    assert upcoming.count() >= 2
    home = client_for(mentor).get(reverse("relationships:my_mentees")).content.decode()
    assert (
        home.count('class="next-meeting"')
        == Relationship.objects.filter(mentor__user=mentor)
        .exclude(status=Relationship.Status.CLOSED)
        .count()
    )
    assert "None planned." in home


def test_the_demo_mentor_can_answer_did_it_happen_and_sees_each_answer():
    """Logged in as the demo mentor, a plan from yesterday waits for its answer (within the
    scheme's days, so no flag yet) on My mentees, and their plans hold one of each answer:
    held, the mentee did not turn up, cancelled by the mentee after the time, and one called
    off ahead. The seed's summary says "1 plan", not "1 plans" (nor "1 offers")."""
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert " 1 plans " not in out.getvalue() and " 1 offers " not in out.getvalue()
    mentor = User.objects.get(email=DEMO_LOGINS["mentor"])
    mine = PlannedMeeting.objects.filter(relationship__mentor__user=mentor).select_related(
        "relationship__mentee__scheme"
    )
    now = timezone.now()
    waiting = [p for p in mine.filter(status=PS.PLANNED, starts_at__lt=now)]
    assert len(waiting) == 1
    (plan,) = waiting
    days = plan.relationship.mentee.scheme.flag_plan_outcome_days
    assert plan.starts_at > now - datetime.timedelta(days=days)
    assert {PS.HELD, PS.DID_NOT_ATTEND, PS.CANCELLED_BY_MENTEE} <= set(
        mine.values_list("status", flat=True)
    )
    home = client_for(mentor).get(reverse("relationships:my_mentees")).content.decode()
    assert reverse("relationships:plan_answer", args=[plan.pk]) in home
