"""Writes on concerns: raising one, acting on it, closing it, and the worker's escalation.

Every step is one service with keyword-only arguments, in a transaction, with an audit event.
Notifications and emails name a concern by its reference and the mentee by reference and
first name: never the concern's words or category, since email leaves Tandem and shows on
lock screens.
"""

import datetime
import logging
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.selectors import coordinators_of, managers
from audit.services import audit_record
from concerns.models import ActionKind, Category, Concern, ConcernAction, Urgency
from concerns.transitions import concern_transition
from core.models import Notification
from core.services import notifications_settle, notify
from mentees.models import Mentee

if TYPE_CHECKING:  # names for the signatures only: concerns sit below the case work
    from relationships.models import Meeting, Relationship

logger = logging.getLogger(__name__)

CATEGORY_MISSING = "Select what kind of concern it is"
#: An urgent concern ("needs action today") must be acknowledged within this many hours, or
#: the scheme's own time if that is shorter, before it goes to the managers.
URGENT_ACKNOWLEDGE_HOURS = 4


def acknowledge_within_hours(*, scheme_hours: int, urgency: str) -> int:
    """How long a coordinator has to acknowledge a concern of this urgency."""
    if urgency == Urgency.TODAY:
        return min(scheme_hours, URGENT_ACKNOWLEDGE_HOURS)
    return scheme_hours


def _check_raise(*, category: str, urgency: str, words: str) -> None:
    errors: dict[str, str] = {}
    if not words.strip():
        errors["words"] = "Say what the concern is"
    if category not in Category.values:
        errors["category"] = CATEGORY_MISSING
    if urgency not in Urgency.values:
        errors["urgency"] = "Select how urgent it is"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def concern_raise(
    *,
    by: User,
    mentee: Mentee,
    category: str,
    urgency: str,
    words: str,
    relationship: "Relationship | None" = None,
    meeting: "Meeting | None" = None,
) -> Concern:
    """Record a concern and tell every coordinator of the scheme at once (the managers when
    the scheme has none). It must be acknowledged within the scheme's hours (four at most
    when it is urgent)."""
    _check_raise(category=category, urgency=urgency, words=words)
    if relationship is not None and relationship.mentee_id != mentee.pk:
        raise ValidationError("That relationship is not this person's")
    if meeting is not None and relationship is None:
        raise ValidationError("A concern raised on a meeting belongs to its relationship")
    scheme = mentee.scheme
    now = timezone.now()
    concern = Concern(
        scheme=scheme,
        mentee=mentee,
        relationship=relationship,
        meeting=meeting,
        raised_by=by,
        raised_at=now,
        category=category,
        urgency=urgency,
        words=words.strip(),
        due_at=now
        + datetime.timedelta(
            hours=acknowledge_within_hours(
                scheme_hours=scheme.concern_acknowledge_hours, urgency=urgency
            )
        ),
    )
    concern.full_clean()
    concern.save()
    told = _tell_coordinators(concern=concern, by=by)
    audit_record(
        actor=by,
        action="concern.raised",
        target=concern,
        scheme=scheme,
        detail={
            "mentee": mentee.pk,
            "relationship": relationship.pk if relationship else None,
            "meeting": meeting.pk if meeting else None,
            # The kind and urgency stay on the concern: the trail outlives the case.
            **told,
        },
    )
    return concern


def _tell_coordinators(*, concern: Concern, by: User) -> dict[str, int]:
    """Notify the scheme's other coordinators, or the managers if it has none; who was told.
    A scheme's only coordinator recording a concern owns it already: nobody else is told."""
    mentee = concern.mentee
    everyone = coordinators_of(concern.scheme)
    coordinators = [c for c in everyone if c.pk != by.pk]
    recipients = coordinators
    if not recipients and any(c.pk == by.pk for c in everyone):
        return {"coordinators_told": 0, "managers_told": 0}
    if not recipients:
        # A scheme between coordinators must not swallow a concern: the managers get it.
        recipients = [m for m in managers() if m.pk != by.pk]
        logger.warning(
            "Concern %s: scheme %s has no coordinator; told %d managers",
            concern.pk,
            concern.scheme_id,
            len(recipients),
        )
    urgent = " It is marked urgent: act on it today." if concern.urgency == Urgency.TODAY else ""
    notify(
        recipients=recipients,
        audience=Notification.Audience.STAFF,
        subject=(
            f"Concern {concern.reference} raised about {mentee.reference} ({mentee.short_name})"
        ),
        body=(
            f"{by.get_full_name() or by.email} raised a safeguarding or risk concern. "
            f"Acknowledge it in Tandem by {_when(concern.due_at)}.{urgent}"
        ),
        url=concern.get_absolute_url(),
        urgent=concern.urgency == Urgency.TODAY,
        scheme_id=concern.scheme_id,
        mentee_id=concern.mentee_id,
    )
    return {
        "coordinators_told": len(coordinators),
        "managers_told": len(recipients) if not coordinators else 0,
    }


def _when(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {local:%b %Y at %H:%M}"


@transaction.atomic
def concern_acknowledge(*, by: User, concern: Concern) -> Concern:
    """``by`` has read the concern and owns what happens next; it will not escalate now.
    The notifications that asked for it to be acknowledged are done with: they are marked
    read for everyone they went to, so nobody's inbox keeps asking."""
    now = timezone.now()
    concern = concern_transition(
        by=by, concern=concern, to_status=Concern.Status.ACKNOWLEDGED, at=now
    )
    notifications_settle(url=concern.get_absolute_url(), at=now)
    return concern


def _locked(concern: Concern) -> Concern:
    """The concern as it stands now, locked until the transaction ends: two coordinators on
    the same concern take their steps one after the other, each seeing the other's."""
    return Concern.objects.select_for_update().select_related("scheme").get(pk=concern.pk)


def _acknowledged(*, by: User, concern: Concern) -> Concern:
    """The concern, acknowledged by ``by`` first if nobody has: whoever acts on a concern or
    closes it has read it."""
    if concern.status == Concern.Status.RECEIVED:
        return concern_acknowledge(by=by, concern=concern)
    return concern


@transaction.atomic
def concern_action_add(
    *, by: User, concern: Concern, kind: str, taken_on: datetime.date, note: str = ""
) -> ConcernAction:
    """Record one thing done about an open concern (acknowledging it first if needed)."""
    concern = _locked(concern)
    if not concern.is_open:
        raise ValidationError("This concern is closed: no more actions can be added to it")
    if taken_on > timezone.localdate():
        raise ValidationError({"taken_on": "The date cannot be in the future"})
    raised_on = timezone.localdate(concern.raised_at)
    if taken_on < raised_on:
        raise ValidationError(
            {"taken_on": f"The date must be on or after {raised_on:%-d %B %Y}, when it was raised"}
        )
    if kind not in ActionKind.values:
        raise ValidationError({"kind": "Select what was done"})
    if kind == ActionKind.OTHER and not note.strip():
        raise ValidationError({"note": "Say what was done"})
    concern = _acknowledged(by=by, concern=concern)
    action = ConcernAction(concern=concern, kind=kind, taken_on=taken_on, note=note.strip(), by=by)
    action.full_clean()
    action.save()
    audit_record(
        actor=by,
        action="concern.action_added",
        target=concern,
        scheme=concern.scheme,
        detail={"mentee": concern.mentee_id, "action": action.pk, "kind": kind},
    )
    return action


@transaction.atomic
def concern_close(*, by: User, concern: Concern, outcome: str, note: str) -> Concern:
    """Close an open concern with a coded outcome and a note (acknowledging it first if
    nobody has)."""
    concern = _locked(concern)
    if not concern.is_open:
        raise ValidationError("This concern is already closed")
    if not note.strip():
        raise ValidationError({"note": "Say how the concern was dealt with"})
    concern = _acknowledged(by=by, concern=concern)
    return concern_transition(
        by=by,
        concern=concern,
        to_status=Concern.Status.CLOSED,
        at=timezone.now(),
        outcome=outcome,
        closing_note=note,
    )


def concern_viewed(*, by: User, concern: Concern) -> None:
    """A concern's page was opened: who read it is part of its record."""
    audit_record(
        actor=by,
        action="concern.viewed",
        target=concern,
        scheme=concern.scheme,
        detail={"mentee": concern.mentee_id},
    )


def concerns_overdue_ids(*, now: datetime.datetime) -> list[int]:
    """Concerns nobody acknowledged in time and not escalated yet."""
    return list(
        Concern.objects.filter(
            status=Concern.Status.RECEIVED,
            due_at__lt=now,
            escalated_at__isnull=True,
            carried_over=False,  # written before concerns could be acknowledged
        )
        .order_by("due_at")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def concern_escalate(*, concern_id: int, now: datetime.datetime | None = None) -> bool:
    """Tell every manager, in the app and by email, that a concern waits past its time, and
    say so on the concern. The email names the concern by reference and links to it: no
    words, no category, no name. Safe to run twice (and at once): a concern acknowledged or
    escalated in the meantime is left alone. True if it was escalated now."""
    now = now or timezone.now()
    concern = (
        Concern.objects.select_for_update(skip_locked=True)
        .filter(
            pk=concern_id,
            status=Concern.Status.RECEIVED,
            due_at__lt=now,
            escalated_at__isnull=True,
            carried_over=False,
        )
        .first()
    )
    if concern is None:
        return False
    concern.escalated_at = now
    concern.save(update_fields=["escalated_at"])
    told = list(managers())
    notify(
        recipients=told,
        audience=Notification.Audience.STAFF,
        subject=f"Concern {concern.reference} not acknowledged in time",
        body=(
            f"Concern {concern.reference} was raised on {_when(concern.raised_at)} and nobody "
            f"has acknowledged it; it was due by {_when(concern.due_at)}. Open it in Tandem."
        ),
        url=reverse("concerns:detail", args=[concern.pk]),
        urgent=True,
        scheme_id=concern.scheme_id,
        mentee_id=concern.mentee_id,
    )
    audit_record(
        actor=None,
        action="concern.escalated",
        target=concern,
        scheme=concern.scheme,
        detail={"mentee": concern.mentee_id, "managers_told": len(told)},
    )
    return True


def concerns_escalate_overdue(*, now: datetime.datetime | None = None) -> int:
    """Escalate every concern waiting past its time, each in its own transaction (one that
    fails does not hold back the rest). How many were escalated."""
    now = now or timezone.now()
    return sum(concern_escalate(concern_id=pk, now=now) for pk in concerns_overdue_ids(now=now))
