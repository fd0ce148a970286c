"""A logged meeting answers the plan it was for, so nothing is counted twice.

A mentor may log a meeting from the plan ("Yes, log it" opens the meeting form with
``?plan=``), from the "Did it happen?" answers, or straight from "Log a meeting" without
thinking of the plan at all. Each way, the meeting is linked to the plan: the one named, or
else the relationship's waiting plan on the same local day (the nearest in time, if there are
two). The plan then takes the meeting's outcome (met: held) through ``plan_transition``, in
the meeting's transaction.

A meeting sent for a plan that is no longer waiting (answered "did not turn up" meanwhile,
say, or a form kept offline and sent late) is refused in words, not logged unlinked: it would
count the plan's outcome twice. The same form sent again is not refused: ``meeting_log``
answers it with the meeting it already made before it gets here.
"""

import datetime

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.services import notifications_settle
from relationships.meetings.plan_transitions import plan_transition
from relationships.models import Meeting, PlannedMeeting

#: The plan status a logged meeting's outcome answers with.
STATUS_FOR_OUTCOME: dict[str, str] = {
    Meeting.Outcome.MET: PlannedMeeting.Status.HELD,
    Meeting.Outcome.DID_NOT_ATTEND: PlannedMeeting.Status.DID_NOT_ATTEND,
    Meeting.Outcome.CANCELLED_BY_MENTEE: PlannedMeeting.Status.CANCELLED_BY_MENTEE,
    Meeting.Outcome.CANCELLED_BY_MENTOR: PlannedMeeting.Status.CANCELLED_BY_MENTOR,
}


def _same_local_day(
    plans: list[PlannedMeeting], held_at: datetime.datetime
) -> list[PlannedMeeting]:
    day = timezone.localtime(held_at).date()
    return [plan for plan in plans if timezone.localtime(plan.starts_at).date() == day]


def _refuse_if_answered(*, plan_id: int, relationship_id: int) -> None:
    """Refuse, in words, a meeting for plan ``plan_id`` of this relationship once it is
    answered or cancelled."""
    answered = (
        PlannedMeeting.objects.filter(pk=plan_id, relationship_id=relationship_id)
        .exclude(status=PlannedMeeting.Status.PLANNED)
        .first()
    )
    if answered is not None:
        raise ValidationError(
            "This planned meeting was already recorded as "
            f"“{answered.get_status_display()}”. Nothing new was logged: if you met another "
            "time, open “Log a meeting” from the relationship's page"
        )


def plan_link_meeting(
    *, meeting: Meeting, by: User, plan_id: int | None = None
) -> PlannedMeeting | None:
    """Link ``meeting`` (just logged, its relationship locked by the caller) to the waiting
    plan ``plan_id`` of its relationship, or else to its waiting plan on the same local day.
    Returns the plan answered, or None when no plan was waiting for it. Refused (nothing
    logged) when ``plan_id`` names a plan of the relationship no longer waiting."""
    waiting = list(
        PlannedMeeting.objects.select_for_update(of=("self",))
        .select_related("relationship__mentee__scheme")
        .filter(relationship_id=meeting.relationship_id, status=PlannedMeeting.Status.PLANNED)
        .order_by("starts_at", "pk")
    )
    chosen = [plan for plan in waiting if plan.pk == plan_id]
    if plan_id is not None and not chosen:
        _refuse_if_answered(plan_id=plan_id, relationship_id=meeting.relationship_id)
    chosen = chosen or _same_local_day(waiting, meeting.held_at)
    if not chosen:
        return None
    plan = min(chosen, key=lambda p: abs((p.starts_at - meeting.held_at).total_seconds()))
    now = timezone.now()
    plan_transition(
        plan=plan, to=STATUS_FOR_OUTCOME[meeting.outcome], by=by, at=now, meeting=meeting
    )
    # "Did it happen?" is answered: its notification no longer waits to be read.
    notifications_settle(url=reverse("relationships:plan_answer", args=[plan.pk]), at=now)
    return plan
