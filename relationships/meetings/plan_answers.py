"""The answers to "Did it happen?" that are not "yes".

The mentee did not turn up, cancelled, or the mentor cancelled: each is logged as a meeting
with that outcome (purpose "Not recorded", no length, the plan's time and mode, got in touch
by whoever planned it: the mentor, or a coordinator) through ``meeting_log``, so the
relationship, the audit trail and the sweep follow as for any meeting, and the plan takes
the same answer with the meeting linked, in one transaction. "Yes" is the meeting form,
filled from the plan (``?plan=``).

Two taps at once: the relationship is locked first (as ``meeting_log`` locks it), then the
plan; the second tap finds the plan answered and is refused in words.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from relationships.meetings.plan_selectors import plans_visible_to
from relationships.meetings.services import meeting_log
from relationships.models import Meeting, Party, PlannedMeeting, Relationship


def plan_recorded_words(plan: PlannedMeeting, *, by_mentor: bool) -> str:
    """What was recorded for an answered plan, in a sentence."""
    mentee = plan.relationship.mentee.short_name
    PS = PlannedMeeting.Status
    words: dict[str, str] = {
        PS.HELD: f"You recorded that you met {mentee}." if by_mentor else "Recorded as held.",
        PS.DID_NOT_ATTEND: f"Recorded: {mentee} did not turn up.",
        PS.CANCELLED_BY_MENTEE: f"Recorded: {mentee} cancelled.",
        PS.CANCELLED_BY_MENTOR: "Recorded: you cancelled."
        if by_mentor
        else "Recorded: the mentor cancelled.",
        PS.CANCELLED_BY_COORDINATOR: "The coordinator cancelled this meeting.",
    }
    return words.get(plan.status, "")


def plan_arranged_by(plan: PlannedMeeting, relationship: Relationship) -> str:
    """The party who got in touch to arrange ``plan``: the mentor if they planned it, else
    the coordinator who did."""
    return Party.MENTOR if plan.planned_by_id == relationship.mentor.user_id else Party.COORDINATOR


@transaction.atomic
def plan_answer_not_held(
    *, plan: PlannedMeeting, by: User, answer: str, now: datetime.datetime | None = None
) -> Meeting:
    """Answer ``plan`` as not held (``answer`` one of ``PlannedMeeting.NOT_HELD_ANSWERS``):
    log the meeting with that outcome and link it. Refused, in words, before the plan's time
    and once the plan is answered."""
    if answer not in PlannedMeeting.NOT_HELD_ANSWERS:
        raise ValidationError("Choose one of the answers shown")
    now = now or timezone.now()
    # Locked in meeting_log's order: the relationship, then the plan.
    Relationship.objects.select_for_update(of=("self",)).filter(pk=plan.relationship_id).first()
    locked = PlannedMeeting.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    if not locked.is_open:
        raise ValidationError(
            f"This meeting was already answered: “{locked.get_status_display()}”. "
            "Nothing was changed"
        )
    if locked.starts_at > now:
        raise ValidationError("This meeting has not happened yet: answer once its time has passed")
    return meeting_log(
        by=by,
        relationship=plan.relationship,
        client_id=uuid.uuid4(),
        held_at=locked.starts_at,
        duration_minutes=0,
        mode=locked.mode,
        initiated_by=plan_arranged_by(locked, plan.relationship),
        outcome=answer,
        purpose=Meeting.Purpose.NOT_RECORDED,
        plan_id=locked.pk,
    )


def plans_awaiting_answer(user: User) -> QuerySet[PlannedMeeting]:
    """``user``'s own plans, as mentor, whose time has passed with no answer: My mentees asks
    "Did it happen?" about each."""
    return (
        plans_visible_to(user)
        .filter(
            relationship__mentor__user=user,
            status=PlannedMeeting.Status.PLANNED,
            starts_at__lte=timezone.now(),
        )
        .exclude(relationship__status=Relationship.Status.CLOSED)
        .select_related("relationship__mentee")
        .order_by("starts_at", "pk")
    )
