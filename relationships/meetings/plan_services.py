"""Planning meetings: arranging the next one, moving it, cancelling it ahead of time.

A plan is what the watcher measures silence and missed meetings against, and what the worker
reminds the mentor of the day before and asks about afterwards. The relationship's mentor
or a coordinator of its scheme plans; a plan is only ever in the future when made or moved.
Answers after the time ("Did it happen?") go through ``plan_transition`` too, from the
answering pages; a cancellation ahead of time is the one answer made here.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.permissions import can_write_case
from audit.services import audit_record
from core.models import Notification
from core.queue import sweep_soon
from core.services import notify
from relationships.meetings.plan_transitions import plan_transition
from relationships.meetings.plan_worker import plan_summary
from relationships.models import Meeting, PlannedMeeting, Relationship

PS = PlannedMeeting.Status
Mode = Meeting.Mode
PLAN_IN_PAST = "The meeting must be planned for a time still to come"
PLAN_ON_CLOSED = "This relationship is closed: no more meetings can be planned on it"
TIME_PASSED = "This meeting's time has passed: answer “Did it happen?” for it instead"
#: Who may be recorded as cancelling ahead of time: the mentor says it was them or the
#: mentee; a coordinator may record any of the three.
MENTOR_CANCELS = frozenset({PS.CANCELLED_BY_MENTEE, PS.CANCELLED_BY_MENTOR})
CANCELS = frozenset({*MENTOR_CANCELS, PS.CANCELLED_BY_COORDINATOR})


#: Why a kind of place does not go with a way of meeting that implies its own, in the words
#: of the planning form's two questions.
PLACE_CONTRADICTS = {
    Mode.PHONE: "A phone meeting is a phone call: leave “Kind of place” empty, "
    "or choose “Face to face” to meet somewhere",
    Mode.VIDEO: "A video meeting is a video call: leave “Kind of place” empty, "
    "or choose “Face to face” to meet somewhere",
    Mode.CUSTODY_VISIT: "A custody visit is in custody: choose “Custody” as the kind of place, "
    "or leave it empty",
    Mode.MESSAGES: "Messages need no place: leave “Kind of place” empty, "
    "or choose “Face to face” to meet somewhere",
}
PLACE_NEEDED = "Select the kind of place where you will meet"
PLACE_IS_A_CALL = (
    "A call is not a place to meet in person: select where you will meet, "
    "or choose “Phone” or “Video” for how you will meet"
)


def place_for(mode: str, place: str) -> str:
    """The kind of place of a plan made this way: the one the way implies (a phone meeting is
    a phone call), or the one given for meeting in person, which must be somewhere, not a
    call. A contradiction ("Phone" in "Custody") is refused on the place, in the form's
    words."""
    implied = PlannedMeeting.PLACE_FOR_MODE.get(Mode(mode)) if mode in Mode.values else None
    if implied is not None:
        if place and place != implied:
            raise ValidationError({"place": PLACE_CONTRADICTS[Mode(mode)]})
        return implied
    if not place:
        raise ValidationError({"place": PLACE_NEEDED})
    if place in PlannedMeeting.CALLS:
        raise ValidationError({"place": PLACE_IS_A_CALL})
    return place


def _may_plan(by: User, relationship: Relationship) -> bool:
    """Its mentor (while they hold it) or a coordinator of its scheme; managers only read."""
    return relationship.mentor.user_id == by.pk or can_write_case(by, relationship.mentee.scheme_id)


def _check_time(starts_at: datetime.datetime) -> None:
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": PLAN_IN_PAST})


def _locked_plan(plan: PlannedMeeting) -> PlannedMeeting:
    """The plan as the database has it, locked: two taps on Move or Cancel run one at a time,
    and the second sees what the first did."""
    return (
        PlannedMeeting.objects.select_for_update(of=("self",))
        .select_related("relationship__mentee__scheme", "relationship__mentor")
        .get(pk=plan.pk)
    )


def tell_the_mentor(plan: PlannedMeeting, *, by: User, subject: str, body: str) -> None:
    """A coordinator planned, moved or called off a meeting: its mentor is told in the app
    (and by email: the mentee's first name, the time, mode and kind of place, nothing else).
    A mentor's own change needs no notice."""
    relationship = plan.relationship
    mentor = relationship.mentor.user
    if mentor is None or mentor.pk == by.pk:
        return
    mentee = relationship.mentee
    notify(
        recipients=[mentor],
        audience=Notification.Audience.MENTOR,
        subject=f"Your coordinator {subject} a meeting with {mentee.short_name}",
        body=body,
        url=reverse("relationships:detail", args=[relationship.pk]),
        scheme_id=mentee.scheme_id,
        mentee_id=mentee.pk,
    )


@transaction.atomic
def plan_meeting(
    *,
    relationship: Relationship,
    by: User,
    starts_at: datetime.datetime,
    mode: str,
    place: str = "",
) -> PlannedMeeting:
    """Plan a meeting of an open relationship, at a time still to come.

    The kind of place follows from the way of meeting when that says it (``place_for``):
    it may be left empty then, and a contradicting one is refused.

    The same plan sent twice (a double tap) is one plan: a waiting plan of this relationship
    at the same time is returned rather than made again. The relationship is locked while
    that is checked."""
    relationship = (
        Relationship.objects.select_for_update(of=("self",))
        .select_related("mentee__scheme", "mentor")
        .get(pk=relationship.pk)
    )
    if not _may_plan(by, relationship):
        raise PermissionDenied
    if not relationship.is_open:
        raise ValidationError(PLAN_ON_CLOSED)
    _check_time(starts_at)
    place = place_for(mode, place)
    same = relationship.planned_meetings.filter(status=PS.PLANNED, starts_at=starts_at).first()
    if same is not None:
        return same
    plan = PlannedMeeting(
        relationship=relationship, starts_at=starts_at, mode=mode, place=place, planned_by=by
    )
    plan.full_clean()
    plan.save()
    audit_record(
        actor=by,
        action="plan.planned",
        target=plan,
        scheme=relationship.mentee.scheme,
        detail={
            "relationship": relationship.pk,
            "starts_at": starts_at.isoformat(),
            "mode": mode,
            "place": place,
        },
    )
    sweep_soon(scheme_id=relationship.mentee.scheme_id, relationship_id=relationship.pk)
    tell_the_mentor(plan, by=by, subject="planned", body=f"It is on {plan_summary(plan)}.")
    return plan


@transaction.atomic
def plan_move(
    *, plan: PlannedMeeting, by: User, starts_at: datetime.datetime, reason: str = ""
) -> PlannedMeeting:
    """Move a waiting plan to a new time still to come.

    The reminder and the "Did it happen?" question are about the new time, so both are
    cleared to come again. The plan keeps who moved it, when and why (a few words, shown on
    the relationship's page); the audit event holds the old and new times and whether a
    reason was given, never its words. A coordinator's move is told to the mentor."""
    plan = _locked_plan(plan)
    if not _may_plan(by, plan.relationship):
        raise PermissionDenied
    if not plan.is_open:
        raise ValidationError(
            f"This meeting is already recorded as “{plan.get_status_display().lower()}”, "
            "so it cannot be moved"
        )
    if not plan.relationship.is_open:
        raise ValidationError(PLAN_ON_CLOSED)
    if plan.starts_at <= timezone.now():
        # Moving it on would erase what happened (or did not) at that time.
        raise ValidationError(TIME_PASSED)
    _check_time(starts_at)
    if starts_at == plan.starts_at:
        return plan  # a double tap, or nothing changed: moved once, audited once
    was = plan.starts_at
    plan.starts_at = starts_at
    plan.reminded_at = None
    plan.asked_at = None
    plan.moved_at = timezone.now()
    plan.moved_by = by
    plan.move_reason = " ".join(reason.split())
    plan.full_clean(exclude=["relationship", "planned_by", "meeting"])
    plan.save(
        update_fields=[
            "starts_at",
            "reminded_at",
            "asked_at",
            "moved_at",
            "moved_by",
            "move_reason",
        ]
    )
    audit_record(
        actor=by,
        action="plan.moved",
        target=plan,
        scheme=plan.relationship.mentee.scheme,
        detail={
            "relationship": plan.relationship_id,
            "starts_at_was": was.isoformat(),
            "starts_at": starts_at.isoformat(),
            "reason_given": bool(reason.strip()),
        },
    )
    sweep_soon(scheme_id=plan.relationship.mentee.scheme_id, relationship_id=plan.relationship_id)
    tell_the_mentor(plan, by=by, subject="moved", body=f"It is now on {plan_summary(plan)}.")
    return plan


@transaction.atomic
def plan_cancel(
    *, plan: PlannedMeeting, by: User, cancelled_by: str, reason: str
) -> PlannedMeeting:
    """Cancel a plan ahead of its time, saying who called it off and why.

    No meeting is logged for it: it was never due. After its time, "Did it happen?" is the
    way to say it was cancelled (and that is logged as a meeting). A coordinator may record
    a cancellation by the mentee, the mentor or the coordinator; the mentor, by the mentee
    or themselves."""
    plan = _locked_plan(plan)
    relationship = plan.relationship
    is_mentor = relationship.mentor.user_id == by.pk
    is_coordinator = can_write_case(by, relationship.mentee.scheme_id)
    if not is_mentor and not is_coordinator:
        raise PermissionDenied
    allowed = CANCELS if is_coordinator else MENTOR_CANCELS
    if cancelled_by not in allowed:
        raise ValidationError({"cancelled_by": "Select who called the meeting off"})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the meeting was called off, in a few words"})
    if plan.is_open and plan.starts_at <= timezone.now():
        raise ValidationError(TIME_PASSED)
    plan = plan_transition(
        plan=plan, to=cancelled_by, by=by, at=timezone.now(), cancel_reason=reason
    )
    tell_the_mentor(
        plan, by=by, subject="called off", body=f"It was planned for {plan_summary(plan)}."
    )
    return plan
