"""Reminders before a mentor's vetting expires: at the scheme's first and last day counts,
to the mentor (in the app, and by email) and to the scheme's coordinators, each once per
record, whether the daily task runs twice or misses days."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import Notification
from schemes import services
from schemes.mentors.expiry_reminders import expiry_reminders_send
from schemes.models import ExpiryReminder, Mentor
from schemes.tasks import send_expiry_reminders
from schemes.tests.factories import DBSCheckFactory, PrisonClearanceFactory

DAY = datetime.date(2027, 1, 10)


def _expiring(world, days: int):
    """The world's mentor's only DBS check, expiring ``days`` after DAY."""
    check = world.mentor_file_a.dbs_checks.get()
    check.issued_on = DAY - datetime.timedelta(days=900)
    check.expires_on = DAY + datetime.timedelta(days=days)
    check.save()
    return check


def _subjects(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("subject", flat=True))


def test_the_first_reminder_goes_at_60_days_to_the_mentor_and_the_coordinators(
    world, email_queue, django_capture_on_commit_callbacks
):
    """At exactly 60 days the mentor and their coordinator are told, in the mentor's words
    with the date and the days left; the mentor's email goes to their address."""
    _expiring(world, 60)
    world.mentor_a.email = "mentor@example.org"
    world.mentor_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert expiry_reminders_send(today=DAY) == 1
    (mine,) = _subjects(world.mentor_a)
    assert mine == "Your DBS check expires on 11 March 2027, in 60 days"
    assert any("DBS check expires on 11 March 2027" in s for s in _subjects(world.coordinator_a))
    assert not _subjects(world.coordinator_b)
    email_queue.send()
    assert any(m.to == ["mentor@example.org"] for m in mail.outbox)


@pytest.mark.parametrize(("days", "sent"), [(61, 0), (60, 1), (15, 1), (14, 1), (0, 0)])
def test_reminders_are_due_from_the_first_day_count_until_expiry(world, days, sent):
    """Nothing at 61 days or on the expiry day (it has expired); a reminder inside the window."""
    _expiring(world, days)
    assert expiry_reminders_send(today=DAY) == sent


def test_each_reminder_is_sent_once_however_often_the_task_runs(world):
    """Run twice on one day, and again on the following days: one first reminder; at 14 days
    one last reminder, urgent; then nothing more."""
    _expiring(world, 60)
    assert expiry_reminders_send(today=DAY) == 1
    assert expiry_reminders_send(today=DAY) == 0
    assert expiry_reminders_send(today=DAY + datetime.timedelta(days=1)) == 0
    assert expiry_reminders_send(today=DAY + datetime.timedelta(days=46)) == 1
    assert expiry_reminders_send(today=DAY + datetime.timedelta(days=47)) == 0
    stages = sorted(ExpiryReminder.objects.values_list("stage", flat=True))
    assert stages == ["first", "last"]
    assert Notification.objects.filter(recipient=world.mentor_a, is_urgent=True).count() == 1


def test_a_task_that_missed_days_sends_the_due_reminder_once_not_the_missed_one(world):
    """The worker was down from 60 to 10 days before: only the last reminder goes, once."""
    _expiring(world, 10)
    assert expiry_reminders_send(today=DAY) == 1
    assert list(ExpiryReminder.objects.values_list("stage", flat=True)) == ["last"]
    assert expiry_reminders_send(today=DAY + datetime.timedelta(days=1)) == 0


def test_a_renewed_check_or_a_leaver_is_not_reminded(world):
    """A newer DBS check replaces the expiring one; a mentor who left gets nothing."""
    _expiring(world, 30)
    DBSCheckFactory(mentor=world.mentor_file_a, issued_on=DAY, expires_on=DAY.replace(year=2030))
    assert expiry_reminders_send(today=DAY) == 0
    Mentor.objects.filter(pk=world.mentor_file_a.pk).update(status="left")
    DBSCheckFactory(mentor=world.mentor_file_a, issued_on=DAY, expires_on=DAY.replace(year=2031))
    assert expiry_reminders_send(today=DAY + datetime.timedelta(days=2000)) == 0


def test_a_prison_clearance_is_reminded_about_per_prison(world):
    """A clearance expiring in 14 days gets its last reminder naming the prison."""
    _expiring(world, 500)
    PrisonClearanceFactory(
        mentor=world.mentor_file_a,
        establishment="HMP Leeds",
        issued_on=DAY - datetime.timedelta(days=300),
        expires_on=DAY + datetime.timedelta(days=14),
    )
    assert expiry_reminders_send(today=DAY) == 1
    (mine,) = _subjects(world.mentor_a)
    assert "prison clearance for HMP Leeds expires on 24 January 2027, in 14 days" in mine


def test_the_schemes_own_day_counts_are_used(world):
    """A scheme that reminds at 30 and 7 days sends nothing at 31 days, the first at 30."""
    world.scheme_a.expiry_first_reminder_days = 30
    world.scheme_a.expiry_last_reminder_days = 7
    world.scheme_a.save()
    _expiring(world, 31)
    assert expiry_reminders_send(today=DAY) == 0
    assert expiry_reminders_send(today=DAY + datetime.timedelta(days=1)) == 1


def test_the_daily_task_is_scheduled_and_runs_the_service(world, settings):
    """The beat schedule holds the daily task; the task sends what is due today."""
    entry = settings.CELERY_BEAT_SCHEDULE["expiry-reminders"]
    assert entry["task"] == "schemes.tasks.send_expiry_reminders"
    assert entry["schedule"] == 24 * 60 * 60
    check = world.mentor_file_a.dbs_checks.get()
    check.expires_on = timezone.localdate() + datetime.timedelta(days=14)
    check.save()
    assert send_expiry_reminders.apply().get() == 1
    assert send_expiry_reminders.apply().get() == 0


def test_a_scheme_cannot_remind_last_before_first(world):
    """The scheme's settings refuse a last reminder as early as, or earlier than, the first;
    the manager's form offers all three day counts."""
    from django.forms.models import model_to_dict

    from schemes.forms import SchemeForm

    assert {
        "expiry_first_reminder_days",
        "expiry_last_reminder_days",
        "flag_plan_outcome_days",
    } <= set(SchemeForm.base_fields)
    values = model_to_dict(world.scheme_a, list(SchemeForm.base_fields))
    with pytest.raises(ValidationError, match="fewer days before the expiry than the first"):
        services.scheme_update(
            scheme=world.scheme_a,
            by=world.manager,
            **{**values, "expiry_first_reminder_days": 14, "expiry_last_reminder_days": 14},
        )
