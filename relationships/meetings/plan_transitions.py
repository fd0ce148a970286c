"""A planned meeting's state machine: the only code that sets ``PlannedMeeting.status``.

A plan waits (planned), then is answered once: held (its logged meeting linked), the mentee
did not turn up, cancelled by the mentee, by the mentor or by the coordinator. An answer
never moves again. Moving a plan to a new time is not a step here: it keeps the plan waiting
(``relationships.meetings.plan_services``). Every step is dated, names who took it and
writes its audit event, and asks for a sweep, since the watcher measures silence and missed
meetings against plans.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from core.queue import sweep_soon
from relationships.models import Meeting, PlannedMeeting

PS = PlannedMeeting.Status
#: From planned, every answer; from an answer, nothing.
PLAN_TRANSITIONS: dict[str, frozenset[str]] = {
    PS.PLANNED: frozenset(
        {
            PS.HELD,
            PS.DID_NOT_ATTEND,
            PS.CANCELLED_BY_MENTEE,
            PS.CANCELLED_BY_MENTOR,
            PS.CANCELLED_BY_COORDINATOR,
        }
    ),
    PS.HELD: frozenset(),
    PS.DID_NOT_ATTEND: frozenset(),
    PS.CANCELLED_BY_MENTEE: frozenset(),
    PS.CANCELLED_BY_MENTOR: frozenset(),
    PS.CANCELLED_BY_COORDINATOR: frozenset(),
}


def plan_transition(
    *,
    plan: PlannedMeeting,
    to: str,
    by: User | None,
    at: datetime.datetime,
    meeting: Meeting | None = None,
    cancel_reason: str = "",
) -> PlannedMeeting:
    """Move ``plan`` (locked by the caller) from planned to ``to``, at ``at``.

    ``meeting`` is the meeting logged for it: required for held and for the answers that it
    was not held after its time (did not attend, cancelled by the mentee or the mentor, each
    logged with that outcome); absent for a cancellation ahead of time. The caller runs this
    in its transaction."""
    if to not in PLAN_TRANSITIONS[plan.status]:
        raise ValidationError(
            f"This meeting is already recorded as “{plan.get_status_display().lower()}”, "
            "so it cannot change now"
        )
    if to == PS.HELD and meeting is None:
        raise ValidationError("A meeting that was held needs its meeting logged")
    if meeting is not None and meeting.relationship_id != plan.relationship_id:
        raise ValidationError("That meeting belongs to another relationship")
    was = plan.status
    plan.status = to
    plan.answered_at = at
    plan.answered_by = by
    plan.meeting = meeting
    plan.cancel_reason = " ".join(cancel_reason.split())
    plan.save(update_fields=["status", "answered_at", "answered_by", "meeting", "cancel_reason"])
    detail: dict[str, object] = {"from": was, "to": to, "relationship": plan.relationship_id}
    if meeting is not None:
        detail["meeting"] = meeting.pk
    audit_record(
        actor=by,
        action=f"plan.{to}",
        target=plan,
        scheme=plan.relationship.mentee.scheme,
        detail=detail,
    )
    sweep_soon(scheme_id=plan.relationship.mentee.scheme_id, relationship_id=plan.relationship_id)
    return plan


#: Why a waiting plan was called off when its relationship closed.
CLOSED_WITH_RELATIONSHIP = "The relationship closed."


def plans_end_with_relationship(*, relationship_ids: list[int], by: User | None) -> int:
    """Call off the waiting plans of relationships that have just closed, in the closure's
    transaction: no reminder or "Did it happen?" comes about them, their page lists none as
    waiting, and a reopened relationship starts with no old plan. Recorded as called off by
    the coordinator (who closed it), saying why. Returns how many."""
    if not relationship_ids:
        return 0
    waiting = (
        PlannedMeeting.objects.select_for_update(of=("self",))
        .select_related("relationship__mentee__scheme")
        .filter(relationship_id__in=relationship_ids, status=PS.PLANNED)
        .order_by("pk")
    )
    at = timezone.now()
    ended = 0
    for plan in waiting:
        plan_transition(
            plan=plan,
            to=PS.CANCELLED_BY_COORDINATOR,
            by=by,
            at=at,
            cancel_reason=CLOSED_WITH_RELATIONSHIP,
        )
        ended += 1
    return ended
