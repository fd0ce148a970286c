"""The day-before reminder through a real Celery worker and the real broker (Redis in the
suite): the scheduled task, sent as beat sends it, reminds the mentor in the app and by
email, the email going out through the same worker."""

import datetime
import logging
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone

from conftest import build_world
from core.models import Notification
from mentoring.celery import app
from relationships.meetings.plan_worker import plan_summary
from relationships.models import PlannedMeeting
from relationships.tasks import remind_plans
from relationships.tests.plan_factories import PlannedMeetingFactory

pytestmark = [pytest.mark.slow, pytest.mark.real_queue, pytest.mark.django_db(transaction=True)]

#: Hang guard for the worker's two steps (the reminder, then its email): ten times what a
#: busy machine needs.
GUARD_SECONDS = 60


def test_a_real_worker_reminds_the_mentor_of_tomorrows_plan():
    """A plan 20 hours from now, arranged last week: the worker's remind_plans gives the
    mentor a notification and sends the email to their address; the plan is marked
    reminded."""
    world = build_world()
    starts_at = (timezone.now() + datetime.timedelta(hours=20)).replace(second=0, microsecond=0)
    plan = PlannedMeetingFactory(relationship=world.relationship_a, starts_at=starts_at)
    day = "today" if timezone.localtime(starts_at).date() == timezone.localdate() else "tomorrow"
    root_level = logging.root.level  # the worker's logging set-up raises it to ERROR
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            remind_plans.delay()
            deadline = time.monotonic() + GUARD_SECONDS
            while not mail.outbox and time.monotonic() < deadline:
                time.sleep(0.2)
    finally:
        logging.root.setLevel(root_level)
    [notice] = Notification.objects.filter(recipient=world.mentor_a)
    assert notice.subject == f"Reminder: meeting {world.mentee_a.short_name} {day}"
    [email] = mail.outbox
    assert email.to == [world.mentor_a.email]
    assert plan_summary(plan) in email.body
    assert PlannedMeeting.objects.get(pk=plan.pk).reminded_at is not None
