"""The demo holds planned meetings in every state, answered and not, and the demo mentor's
home shows each mentee's next meeting."""

import datetime

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
    assert after.count() == 4
    for plan in after:
        expected = Meeting.Outcome.MET if plan.status == PS.HELD else plan.status
        assert plan.meeting is not None and plan.meeting.outcome == expected
    now = timezone.now()
    unanswered = list(plans.filter(status=PS.PLANNED, starts_at__lt=now))
    assert len(unanswered) == 2
    assert any(
        plan.starts_at
        < now - datetime.timedelta(days=plan.relationship.mentee.scheme.flag_plan_outcome_days)
        for plan in unanswered
    )
    assert (
        plans.filter(status__startswith="cancelled", starts_at__gt=now)
        .exclude(cancel_reason="")
        .count()
        == 2
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
