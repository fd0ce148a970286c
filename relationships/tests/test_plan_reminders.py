"""The worker's reminder before a planned meeting, and its "Did it happen?" after.

Run at a fixed moment (``now=``): a Tuesday morning in Europe/London. A plan is reminded
within the day before, once; asked about two hours after its time, once; and neither for a
plan that is answered, cancelled, or on a paused or closed relationship. (The reminder's
timing at its edges, and who is told, are in test_plan_reminder_rules.py.)
"""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import AuditEvent
from core.models import Notification
from relationships.meetings.plan_worker import plans_ask_due, plans_remind_due
from relationships.models import Meeting, PlannedMeeting, Relationship
from relationships.tests.factories import MeetingFactory
from relationships.tests.plan_factories import NOTES, PlannedMeetingFactory, local

pytestmark = pytest.mark.django_db

TUESDAY = datetime.date(2026, 3, 10)
NOW = local(TUESDAY, 9)  # Tuesday 09:00
WEDNESDAY = TUESDAY + datetime.timedelta(days=1)


def _to_mentor(world) -> list[Notification]:
    return list(Notification.objects.filter(recipient=world.mentor_a).order_by("pk"))


def test_the_mentor_is_reminded_the_day_before_in_the_app_and_by_email(
    world, rel, django_capture_on_commit_callbacks, email_queue
):
    """A plan for tomorrow morning in a prison: one notification to the mentor and one email
    to their address, naming the mentee by first name, the day and the time only: never the
    kind of place, the way of meeting, nor anything of the case's notes."""
    plan = PlannedMeetingFactory(
        relationship=rel, starts_at=local(WEDNESDAY, 8, 30), place=PlannedMeeting.Place.CUSTODY
    )
    MeetingFactory(relationship=rel, note_shared=NOTES, note_private=NOTES)
    with django_capture_on_commit_callbacks(execute=True):
        assert plans_remind_due(now=NOW) == 1
    [notice] = _to_mentor(world)
    assert notice.subject == "Reminder: meeting Dorian tomorrow"
    assert notice.body == (
        "You are meeting Dorian on Wednesday 11 March at 08:30. Open Tandem for the details."
    )
    assert notice.mentee_id == rel.mentee_id
    assert notice.url == reverse("relationships:detail", args=[rel.pk])
    email_queue.send()
    [email] = mail.outbox
    assert email.to == [world.mentor_a.email]
    assert "Wednesday 11 March at 08:30" in email.body
    for secret in ("Quillfeather", NOTES, "ustody", "prison", "face to face"):
        assert secret.lower() not in (email.body + email.subject).lower()
    plan.refresh_from_db()
    assert plan.reminded_at == NOW
    assert AuditEvent.objects.filter(action="plan.reminded", target_id=str(plan.pk)).exists()


def test_a_reminder_is_sent_once_however_often_the_worker_runs(world, rel):
    """The schedule runs every 15 minutes: the second and third runs remind nobody again."""
    PlannedMeetingFactory(relationship=rel, starts_at=local(WEDNESDAY, 8))
    assert plans_remind_due(now=NOW) == 1
    assert plans_remind_due(now=NOW + datetime.timedelta(minutes=15)) == 0
    assert plans_remind_due(now=local(WEDNESDAY, 5)) == 0
    assert len(_to_mentor(world)) == 1


def test_no_reminder_for_a_cancelled_plan_or_a_closed_relationship(world, rel):
    """A plan cancelled ahead, and a plan on a relationship since closed, remind nobody."""
    PlannedMeetingFactory(
        relationship=rel,
        starts_at=local(WEDNESDAY, 8),
        status=PlannedMeeting.Status.CANCELLED_BY_COORDINATOR,
        answered_at=NOW,
    )
    PlannedMeetingFactory(relationship=world.relationship_a_other, starts_at=local(WEDNESDAY, 8))
    Relationship.objects.filter(pk=world.relationship_a_other.pk).update(
        status=Relationship.Status.CLOSED, closed_on=TUESDAY
    )
    assert plans_remind_due(now=NOW) == 0
    assert not Notification.objects.exists()


def test_the_mentor_is_asked_did_it_happen_after_the_time_not_before(world, rel):
    """At 14:00 on the day, a plan for 12:00 is asked about (two hours' grace); one for
    12:30 waits; asked once, with a link to the answer page."""
    noon = PlannedMeetingFactory(relationship=rel, starts_at=local(TUESDAY, 12))
    later = PlannedMeetingFactory(relationship=rel, starts_at=local(TUESDAY, 12, 30))
    assert plans_ask_due(now=local(TUESDAY, 11)) == 0
    assert plans_ask_due(now=local(TUESDAY, 14)) == 1
    [notice] = _to_mentor(world)
    assert notice.subject == "Did your meeting with Dorian happen?"
    assert notice.url == reverse("relationships:plan_answer", args=[noon.pk])
    assert notice.mentee_id == rel.mentee_id
    assert plans_ask_due(now=local(TUESDAY, 14, 15)) == 0
    assert plans_ask_due(now=local(TUESDAY, 14, 30)) == 1
    later.refresh_from_db()
    assert later.asked_at == local(TUESDAY, 14, 30)
    assert plans_ask_due(now=local(TUESDAY, 18)) == 0
    assert len(_to_mentor(world)) == 2


def test_no_question_for_an_answered_plan_or_a_closed_relationship(world, rel):
    """A plan already answered (its meeting logged), one cancelled ahead by the coordinator
    and one on a closed relationship are never asked about."""
    PlannedMeetingFactory(
        relationship=rel,
        starts_at=local(TUESDAY, 11),
        status=PlannedMeeting.Status.CANCELLED_BY_COORDINATOR,
        answered_at=NOW,
    )
    meeting = MeetingFactory(relationship=rel, held_at=local(TUESDAY, 10))
    PlannedMeetingFactory(
        relationship=rel,
        starts_at=local(TUESDAY, 10),
        status=PlannedMeeting.Status.HELD,
        meeting=meeting,
        answered_at=local(TUESDAY, 11),
    )
    PlannedMeetingFactory(relationship=world.relationship_a_other, starts_at=local(TUESDAY, 10))
    Relationship.objects.filter(pk=world.relationship_a_other.pk).update(
        status=Relationship.Status.CLOSED, closed_on=TUESDAY
    )
    assert plans_ask_due(now=local(TUESDAY, 18)) == 0
    assert not Notification.objects.exists()
    assert Meeting.objects.count() == 1


def test_the_tasks_are_in_the_beat_schedule_every_fifteen_minutes(settings):
    """Both run on the worker's schedule, often enough that a plan made this evening for
    tomorrow is still reminded today."""
    schedule = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    assert schedule["relationships.tasks.remind_plans"] == 15 * 60
    assert schedule["relationships.tasks.ask_plans"] == 15 * 60
