"""When the worker reminds a mentor of a planned meeting, and whom it tells.

At a fixed clock (Tuesday 10 March 2026, Europe/London): a waiting plan is reminded once it
starts within the next 24 hours and at least 2 hours from now, unless it was arranged less
than 12 hours before its time. Only a mentor who can still open the relationship, with an
active mentor file, is told; the plan of one who cannot is still marked, so it is not tried
again. Nothing is reminded or asked on a paused relationship.
"""

import datetime

import pytest
from django.core import mail

from accounts.models import Membership, Role
from core.models import Notification
from relationships.meetings.plan_worker import plan_summary, plans_ask_due, plans_remind_due
from relationships.models import PlannedMeeting, Relationship
from relationships.tests.plan_factories import PlannedMeetingFactory, local
from schemes.models import Mentor

pytestmark = pytest.mark.django_db

TUESDAY = datetime.date(2026, 3, 10)
WEDNESDAY = TUESDAY + datetime.timedelta(days=1)
NOON = local(TUESDAY, 12)
MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)


def _reminded(plan: PlannedMeeting) -> bool:
    plan.refresh_from_db()
    return plan.reminded_at is not None


def test_a_plan_is_reminded_from_24_hours_before_until_2_hours_before(world, rel):
    """At noon: plans starting exactly 24 hours and exactly 2 hours ahead are reminded; one a
    minute beyond 24 hours waits, and one a minute under 2 hours is not reminded at all."""
    day_ahead = PlannedMeetingFactory(relationship=rel, starts_at=NOON + 24 * HOUR)
    two_hours = PlannedMeetingFactory(relationship=rel, starts_at=NOON + 2 * HOUR)
    too_far = PlannedMeetingFactory(relationship=rel, starts_at=NOON + 24 * HOUR + MINUTE)
    too_soon = PlannedMeetingFactory(relationship=rel, starts_at=NOON + 2 * HOUR - MINUTE)
    assert plans_remind_due(now=NOON) == 2
    assert _reminded(day_ahead) and _reminded(two_hours)
    assert not _reminded(too_far) and not _reminded(too_soon)
    assert plans_remind_due(now=NOON + 15 * MINUTE) == 1  # the next run: too_far's turn
    assert _reminded(too_far) and not _reminded(too_soon)


def test_a_plan_made_in_the_evening_for_the_morning_is_reminded_that_evening(world, rel):
    """Planned at 20:00 for 09:00 tomorrow (13 hours ahead): the run at 20:15 reminds the
    mentor then, not at midnight, and says "tomorrow"."""
    plan = PlannedMeetingFactory(
        relationship=rel, starts_at=local(WEDNESDAY, 9), created_at=local(TUESDAY, 20)
    )
    assert plans_remind_due(now=local(TUESDAY, 20, 15)) == 1
    [notice] = Notification.objects.filter(recipient=world.mentor_a)
    assert notice.subject == "Reminder: meeting Dorian tomorrow"
    assert _reminded(plan)


def test_a_plan_arranged_less_than_12_hours_before_is_not_reminded(world, rel):
    """Arranged exactly 12 hours before its time: reminded. Arranged a minute later: the
    mentor has just arranged it, so no reminder, at any run before it starts."""
    starts = local(WEDNESDAY, 9)
    twelve = PlannedMeetingFactory(
        relationship=rel, starts_at=starts, created_at=starts - 12 * HOUR
    )
    just_now = PlannedMeetingFactory(
        relationship=rel, starts_at=starts + MINUTE, created_at=starts - 12 * HOUR + 2 * MINUTE
    )
    for run in (local(TUESDAY, 21, 15), local(WEDNESDAY, 0, 5), local(WEDNESDAY, 6)):
        plans_remind_due(now=run)
    assert _reminded(twelve)
    assert not _reminded(just_now)


def test_a_plan_today_says_today(world, rel):
    """A plan arranged days ago for 15:00 today, reminded at 09:00 (the worker was down
    yesterday), is "today"."""
    PlannedMeetingFactory(relationship=rel, starts_at=local(TUESDAY, 15))
    assert plans_remind_due(now=local(TUESDAY, 9)) == 1
    [notice] = Notification.objects.filter(recipient=world.mentor_a)
    assert notice.subject == "Reminder: meeting Dorian today"


def _removed(world) -> None:
    Membership.objects.filter(user=world.mentor_a, role=Role.MENTOR).delete()


def _suspended(world) -> None:
    world.mentor_a.is_active = False
    world.mentor_a.save()


def _moved_away(world) -> None:
    Membership.objects.filter(user=world.mentor_a, role=Role.MENTOR).update(scheme=world.scheme_b)


def _left(world) -> None:
    Mentor.objects.filter(pk=world.mentor_file_a.pk).update(status=Mentor.Status.LEFT)


@pytest.mark.parametrize("gone", [_removed, _suspended, _moved_away, _left])
def test_a_mentor_who_can_no_longer_open_the_relationship_is_told_nothing(
    world, rel, gone, django_capture_on_commit_callbacks, email_queue
):
    """A mentor removed from the role, suspended, moved to another scheme or whose file says
    they left: no reminder and no question, in the app or by email. Each plan is still
    marked, so the next runs do not try it again."""
    ahead = PlannedMeetingFactory(relationship=rel, starts_at=NOON + 20 * HOUR)
    passed = PlannedMeetingFactory(relationship=rel, starts_at=NOON - 3 * HOUR)
    gone(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert plans_remind_due(now=NOON) == 1
        assert plans_ask_due(now=NOON) == 1
    email_queue.send()
    assert not mail.outbox
    assert not Notification.objects.exists()
    ahead.refresh_from_db()
    passed.refresh_from_db()
    assert ahead.reminded_at == NOON and passed.asked_at == NOON
    assert plans_remind_due(now=NOON + HOUR) == 0
    assert plans_ask_due(now=NOON + HOUR) == 0


def test_nothing_is_reminded_or_asked_on_a_paused_relationship(world, rel):
    """While the relationship is paused, a plan ahead is not reminded and a plan passed is
    not asked about; neither is marked, so a resumed relationship's plans are."""
    ahead = PlannedMeetingFactory(relationship=rel, starts_at=NOON + 20 * HOUR)
    passed = PlannedMeetingFactory(relationship=rel, starts_at=NOON - 3 * HOUR)
    Relationship.objects.filter(pk=rel.pk).update(status=Relationship.Status.PAUSED)
    assert plans_remind_due(now=NOON) == 0
    assert plans_ask_due(now=NOON) == 0
    assert not Notification.objects.exists()
    Relationship.objects.filter(pk=rel.pk).update(status=Relationship.Status.ACTIVE)
    assert plans_remind_due(now=NOON) == 1
    assert plans_ask_due(now=NOON) == 1
    ahead.refresh_from_db()
    passed.refresh_from_db()
    assert ahead.reminded_at == NOON and passed.asked_at == NOON


def test_a_plans_summary_is_its_day_and_time_only(world, rel):
    """The words notices and emails use for a plan: "Wednesday 11 March at 09:00", nothing of
    a prison or the way of meeting."""
    plan = PlannedMeetingFactory(
        relationship=rel, starts_at=local(WEDNESDAY, 9), place=PlannedMeeting.Place.CUSTODY
    )
    assert plan_summary(plan) == "Wednesday 11 March at 09:00"
