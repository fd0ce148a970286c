"""What the worker does with planned meetings: the mentor's reminder before, and the question
"Did it happen?" once the time has passed.

A waiting plan is reminded once, when it starts within the next ``REMIND_WITHIN`` (24 hours)
and at least ``REMIND_AT_LEAST`` (2 hours) from now: with the schedule every 15 minutes, that
is about a day before, and a plan made in the evening for the next morning is still reminded
that evening. A plan made (``created_at``) less than ``JUST_ARRANGED`` (12 hours) before its
time, or moved (``moved_at``) less than that before its new time, is not reminded: the mentor
has only just arranged it.

Each plan is claimed by a conditional UPDATE (``reminded_at`` / ``asked_at`` still empty, the
plan still waiting) in the same transaction as its notification, so two workers, or the same
run twice, remind and ask once: the second UPDATE finds the row already claimed (Postgres
re-reads the condition after the first commits) and sends nothing. A plan answered or
cancelled meanwhile, or whose relationship is paused or closed, is never claimed.

Only a mentor who can still open the relationship is told (``relationship_visible_to``: they
hold the mentor role in its scheme, their account is open) and whose mentor file is active; a
mentor removed, suspended or gone is told nothing, and the plan is still marked, so it is not
tried again every 15 minutes.

The notification and its email (``core.services.notify`` sends it to the mentor's address
after commit) say the mentee's first name, the day and the time, and nothing else: an email
may be read on a shared screen, so the kind of place (a prison, a probation office) and the
way of meeting stay in the app.
"""

import datetime
from typing import Literal

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from core.models import Notification
from core.services import notify
from relationships.models import PlannedMeeting, Relationship
from relationships.selectors import relationship_visible_to
from schemes.models import Mentor

#: How long after a plan's time the mentor is asked whether it happened: time to get home
#: and log it themselves first.
ASK_GRACE = datetime.timedelta(hours=2)
#: A plan is reminded when it starts within this long...
REMIND_WITHIN = datetime.timedelta(hours=24)
#: ...and at least this long from now (no reminder of what is about to start).
REMIND_AT_LEAST = datetime.timedelta(hours=2)
#: A plan made less than this long before its time is not reminded: just arranged.
JUST_ARRANGED = datetime.timedelta(hours=12)

#: The field that marks a plan told: reminded before, or asked after.
Claim = Literal["reminded_at", "asked_at"]


def _waiting() -> QuerySet[PlannedMeeting]:
    """Plans still waiting, on relationships that are neither paused nor closed."""
    return PlannedMeeting.objects.filter(status=PlannedMeeting.Status.PLANNED).exclude(
        relationship__status__in=(Relationship.Status.CLOSED, Relationship.Status.PAUSED)
    )


def _mentor_to_tell(relationship: Relationship) -> list[User]:
    """The mentor's login, if they can still open the relationship and their file is active;
    nobody for a mentor kept on file without a login, removed, suspended or moved away."""
    user = relationship.mentor.user
    if user is None or relationship.mentor.status != Mentor.Status.ACTIVE:
        return []
    if not relationship_visible_to(user).filter(pk=relationship.pk).exists():
        return []
    return [user]


def plan_summary(plan: PlannedMeeting) -> str:
    """ "Tuesday 2 December at 14:00": the day and the time, and nothing else (never the kind
    of place or the way of meeting), for words that leave the app."""
    at = timezone.localtime(plan.starts_at)
    return f"{at:%A} {at.day} {at:%B} at {at:%H:%M}"


def plans_remind_due(*, now: datetime.datetime | None = None) -> int:
    """Remind the mentor of each waiting plan that starts within ``REMIND_WITHIN`` and at least
    ``REMIND_AT_LEAST`` from now, made (and last moved) at least ``JUST_ARRANGED`` before its
    time, and not yet reminded. Safe to run twice, and under two workers at once. Returns how
    many plans were claimed (a mentor who can no longer open the relationship is not told)."""
    now = now or timezone.now()
    due = (
        _waiting()
        .filter(
            reminded_at__isnull=True,
            starts_at__gte=now + REMIND_AT_LEAST,
            starts_at__lte=now + REMIND_WITHIN,
            created_at__lte=F("starts_at") - JUST_ARRANGED,
        )
        .filter(Q(moved_at__isnull=True) | Q(moved_at__lte=F("starts_at") - JUST_ARRANGED))
    )
    sent = 0
    for pk in list(due.order_by("starts_at", "pk").values_list("pk", flat=True)):
        sent += _tell(pk, now=now, claim="reminded_at")
    return sent


def plans_ask_due(*, now: datetime.datetime | None = None) -> int:
    """Ask the mentor "Did it happen?" about each waiting plan whose time passed more than
    ``ASK_GRACE`` ago and that nobody has answered or been asked about. Safe to run twice,
    and under two workers at once. Returns how many were asked."""
    now = now or timezone.now()
    due = _waiting().filter(asked_at__isnull=True, starts_at__lte=now - ASK_GRACE)
    asked = 0
    for pk in list(due.order_by("starts_at", "pk").values_list("pk", flat=True)):
        asked += _tell(pk, now=now, claim="asked_at")
    return asked


def _day_word(plan: PlannedMeeting, now: datetime.datetime) -> str:
    day = timezone.localtime(plan.starts_at).date()
    return "today" if day == timezone.localtime(now).date() else "tomorrow"


def _words(plan: PlannedMeeting, *, claim: Claim, now: datetime.datetime) -> tuple[str, str, str]:
    """The subject, body and link of the reminder (``reminded_at``) or question (``asked_at``)."""
    name = plan.relationship.mentee.short_name
    if claim == "reminded_at":
        return (
            f"Reminder: meeting {name} {_day_word(plan, now)}",
            f"You are meeting {name} on {plan_summary(plan)}. Open Tandem for the details.",
            reverse("relationships:detail", args=[plan.relationship_id]),
        )
    return (
        f"Did your meeting with {name} happen?",
        f"You planned to meet {name} on {plan_summary(plan)}. "
        "Tell us what happened: it takes one tap.",
        reverse("relationships:plan_answer", args=[plan.pk]),
    )


@transaction.atomic
def _tell(pk: int, *, now: datetime.datetime, claim: Claim) -> int:
    """Claim plan ``pk`` by setting ``claim`` (``reminded_at`` or ``asked_at``) and tell its
    mentor, in one transaction. Returns 1 if claimed here, 0 if another run got it first or
    it is no longer waiting."""
    if not _waiting().filter(pk=pk, **{f"{claim}__isnull": True}).update(**{claim: now}):
        return 0  # claimed by another run, or answered, cancelled, paused or closed meanwhile
    plan = PlannedMeeting.objects.select_related(
        "relationship__mentee__scheme", "relationship__mentor__user"
    ).get(pk=pk)
    relationship = plan.relationship
    mentee = relationship.mentee
    recipients = _mentor_to_tell(relationship)
    subject, body, url = _words(plan, claim=claim, now=now)
    notify(
        recipients=recipients,
        audience=Notification.Audience.MENTOR,
        subject=subject,
        body=body,
        url=url,
        scheme_id=mentee.scheme_id,
        mentee_id=mentee.pk,
    )
    audit_record(
        actor=None,
        action="plan.reminded" if claim == "reminded_at" else "plan.asked",
        target=plan,
        scheme=mentee.scheme,
        detail={"relationship": relationship.pk, "mentor_told": bool(recipients)},
    )
    return 1
