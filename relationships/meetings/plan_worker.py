"""What the worker does with planned meetings: the mentor's reminder the day before, and the
question "Did it happen?" once the time has passed.

Each plan is claimed by a conditional UPDATE (``reminded_at`` / ``asked_at`` still empty, the
plan still waiting) in the same transaction as its notification, so two workers, or the same
run twice, remind and ask once: the second UPDATE finds the row already claimed (Postgres
re-reads the condition after the first commits) and sends nothing. A plan answered or
cancelled meanwhile, or whose relationship closed, is never claimed.

The notification (and its email, which ``core.services.notify`` sends to the mentor's address
after commit) names the mentee by first name only, with the time, the mode and the kind of
place: never notes, never an address.
"""

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from core.models import Notification
from core.services import notify
from relationships.models import PlannedMeeting, Relationship

#: How long after a plan's time the mentor is asked whether it happened: time to get home
#: and log it themselves first.
ASK_GRACE = datetime.timedelta(hours=2)


def _waiting() -> QuerySet[PlannedMeeting]:
    """Plans still waiting, on relationships that are not closed."""
    return PlannedMeeting.objects.filter(status=PlannedMeeting.Status.PLANNED).exclude(
        relationship__status=Relationship.Status.CLOSED
    )


def _local_day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The start of ``day`` and of the next, in the scheme's time (Europe/London)."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end


def _mentor_login(relationship: Relationship) -> list[User]:
    """The mentor's login; none for a mentor kept on file without one (nobody to tell)."""
    user = relationship.mentor.user
    return [user] if user is not None else []


def plan_summary(plan: PlannedMeeting) -> str:
    """ "Tuesday 2 December at 14:00, face to face, at a probation office": the time, mode and
    kind of place, and nothing else."""
    at = timezone.localtime(plan.starts_at)
    place = plan.get_place_display().split(" (")[0].lower()
    return f"{at:%A} {at.day} {at:%B} at {at:%H:%M}, {plan.get_mode_display().lower()} ({place})"


def plans_remind_due(*, now: datetime.datetime | None = None) -> int:
    """Remind the mentor of each waiting plan that starts tomorrow (local time) and has not
    been reminded. Safe to run twice, and under two workers at once. Returns how many."""
    now = now or timezone.now()
    start, end = _local_day_bounds(timezone.localtime(now).date() + datetime.timedelta(days=1))
    due = _waiting().filter(reminded_at__isnull=True, starts_at__gte=start, starts_at__lt=end)
    sent = 0
    for pk in list(due.order_by("starts_at", "pk").values_list("pk", flat=True)):
        sent += _remind(pk, now=now)
    return sent


@transaction.atomic
def _remind(pk: int, *, now: datetime.datetime) -> int:
    if not _waiting().filter(pk=pk, reminded_at__isnull=True).update(reminded_at=now):
        return 0  # reminded by another run, or answered, cancelled or closed meanwhile
    plan = PlannedMeeting.objects.select_related(
        "relationship__mentee__scheme", "relationship__mentor__user"
    ).get(pk=pk)
    relationship = plan.relationship
    mentee = relationship.mentee
    notify(
        recipients=_mentor_login(relationship),
        audience=Notification.Audience.MENTOR,
        subject=f"Reminder: meeting {mentee.short_name} tomorrow",
        body=f"You are meeting {mentee.short_name} on {plan_summary(plan)}.",
        url=reverse("relationships:detail", args=[relationship.pk]),
        scheme_id=mentee.scheme_id,
        mentee_id=mentee.pk,
    )
    audit_record(
        actor=None,
        action="plan.reminded",
        target=plan,
        scheme=mentee.scheme,
        detail={"relationship": relationship.pk},
    )
    return 1


def plans_ask_due(*, now: datetime.datetime | None = None) -> int:
    """Ask the mentor "Did it happen?" about each waiting plan whose time passed more than
    ``ASK_GRACE`` ago and that nobody has answered or been asked about. Safe to run twice,
    and under two workers at once. Returns how many were asked."""
    now = now or timezone.now()
    due = _waiting().filter(asked_at__isnull=True, starts_at__lte=now - ASK_GRACE)
    asked = 0
    for pk in list(due.order_by("starts_at", "pk").values_list("pk", flat=True)):
        asked += _ask(pk, now=now)
    return asked


@transaction.atomic
def _ask(pk: int, *, now: datetime.datetime) -> int:
    if not _waiting().filter(pk=pk, asked_at__isnull=True).update(asked_at=now):
        return 0
    plan = PlannedMeeting.objects.select_related(
        "relationship__mentee__scheme", "relationship__mentor__user"
    ).get(pk=pk)
    relationship = plan.relationship
    mentee = relationship.mentee
    notify(
        recipients=_mentor_login(relationship),
        audience=Notification.Audience.MENTOR,
        subject=f"Did your meeting with {mentee.short_name} happen?",
        body=(
            f"You planned to meet {mentee.short_name} on {plan_summary(plan)}. "
            "Tell us what happened: it takes one tap."
        ),
        url=reverse("relationships:plan_answer", args=[plan.pk]),
        scheme_id=mentee.scheme_id,
        mentee_id=mentee.pk,
    )
    audit_record(
        actor=None,
        action="plan.asked",
        target=plan,
        scheme=mentee.scheme,
        detail={"relationship": relationship.pk},
    )
    return 1
