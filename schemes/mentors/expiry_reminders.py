"""Reminders before a mentor's vetting runs out: a DBS check or a prison clearance takes weeks
to renew, and a mentor whose check has lapsed stops being offered mentees.

Each scheme says when: ``expiry_first_reminder_days`` and ``expiry_last_reminder_days``
before the expiry date. The mentor is told (in the app, and by email if there is an address)
and so are the scheme's coordinators. Each reminder is sent once per record
(``ExpiryReminder``): the task runs daily and may run twice, or miss days; it sends whatever
stage is due now and was not sent, never an earlier stage after a later one. Only the latest
record counts: a DBS check already renewed, or a clearance for a prison with a later one, is
not reminded about.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import DateField, Exists, ExpressionWrapper, F, OuterRef, QuerySet, Value
from django.urls import reverse
from django.utils.formats import date_format

from accounts.selectors import coordinators_of
from audit.services import audit_record
from core.mail import email_later
from core.models import Notification
from core.services import notify
from schemes.models import DBSCheck, ExpiryReminder, Mentor, PrisonClearance

Stage = ExpiryReminder.Stage


@dataclass(frozen=True)
class Due:
    record: DBSCheck | PrisonClearance
    stage: str


def _stage(record: DBSCheck | PrisonClearance, today: datetime.date) -> str:
    scheme = record.mentor.scheme
    days = (record.expires_on - today).days
    return Stage.LAST if days <= scheme.expiry_last_reminder_days else Stage.FIRST


def _within_first(records: QuerySet, today: datetime.date) -> QuerySet:
    """Records still valid that expire within their scheme's first reminder window, of
    mentors still in the scheme."""
    # date + integer is a date in PostgreSQL.
    last_day = ExpressionWrapper(
        Value(today) + F("mentor__scheme__expiry_first_reminder_days"), output_field=DateField()
    )
    return (
        records.filter(expires_on__gt=today, expires_on__lte=last_day)
        .exclude(mentor__status=Mentor.Status.LEFT)
        .select_related("mentor__scheme", "mentor__user")
    )


def reminders_due(today: datetime.date) -> list[Due]:
    """Every reminder to send today, at most one per record: the stage due now, if it has
    not been sent."""
    dbs = DBSCheck.objects.exclude(
        Exists(
            DBSCheck.objects.filter(
                mentor=OuterRef("mentor"), expires_on__gt=OuterRef("expires_on")
            )
        )
    )
    clearances = PrisonClearance.objects.exclude(
        Exists(
            PrisonClearance.objects.filter(
                mentor=OuterRef("mentor"),
                establishment__iexact=OuterRef("establishment"),
                expires_on__gt=OuterRef("expires_on"),
            )
        )
    )
    dbs_due = list(_within_first(dbs, today))
    clearances_due = list(_within_first(clearances, today))
    # Only the reminders already sent for the records due now, not every one ever sent.
    sent_dbs = set(
        ExpiryReminder.objects.filter(dbs_check__in=[r.pk for r in dbs_due]).values_list(
            "dbs_check_id", "stage"
        )
    )
    sent_clearances = set(
        ExpiryReminder.objects.filter(clearance__in=[r.pk for r in clearances_due]).values_list(
            "clearance_id", "stage"
        )
    )
    due: list[Due] = []
    for records, sent in ((dbs_due, sent_dbs), (clearances_due, sent_clearances)):
        for record in records:
            stage = _stage(record, today)
            if (record.pk, stage) not in sent and (record.pk, Stage.LAST) not in sent:
                due.append(Due(record, stage))
    return due


def _what(record: DBSCheck | PrisonClearance) -> str:
    if isinstance(record, DBSCheck):
        return "DBS check"
    return f"prison clearance for {record.establishment}"


def _send(due: Due, today: datetime.date) -> bool:
    """Record the reminder, then tell the mentor and the coordinators, in one transaction; a
    reminder recorded already (another run got there first) sends nothing."""
    record = due.record
    mentor = record.mentor
    key = {"dbs_check": record} if isinstance(record, DBSCheck) else {"clearance": record}
    try:
        with transaction.atomic():
            ExpiryReminder.objects.create(stage=due.stage, sent_on=today, **key)
            days = (record.expires_on - today).days
            (kind,) = key
            audit_record(
                actor=None,
                action="mentor.expiry_reminded",
                target=mentor,
                scheme=mentor.scheme,
                detail={"record": kind, "id": record.pk, "stage": due.stage, "days": days},
            )
            when = f"{date_format(record.expires_on, 'j F Y')}, in {days} day{'s' * (days != 1)}"
            what = _what(record)
            if mentor.user is not None:
                notify(
                    recipients=[mentor.user],
                    audience=Notification.Audience.MENTOR,
                    subject=f"Your {what} expires on {when}",
                    body="Ask your coordinator how to renew it, so you can keep mentoring.",
                    url=reverse("mentors:own_detail", args=[mentor.pk]),
                    urgent=due.stage == Stage.LAST,
                    scheme_id=mentor.scheme_id,
                    mentee_id=None,
                )
            if mentor.email and (mentor.user is None or mentor.user.email != mentor.email):
                email_later(
                    to=[mentor.email],
                    subject=f"Your {what} expires on {when}",
                    body="Ask your coordinator how to renew it, so you can keep mentoring.\n",
                )
            notify(
                recipients=coordinators_of(mentor.scheme),
                audience=Notification.Audience.STAFF,
                subject=f"{mentor}'s {what} expires on {when}",
                body="Start the renewal now: it can take weeks.",
                url=reverse("mentors:detail", args=[mentor.pk]),
                scheme_id=mentor.scheme_id,
                mentee_id=None,
            )
    except IntegrityError:
        return False
    return True


def expiry_reminders_send(*, today: datetime.date) -> int:
    """Send every expiry reminder due ``today``; how many were sent. Safe to run twice."""
    return sum(_send(due, today) for due in reminders_due(today))
