"""Logging a meeting: the one write a mentor makes most, usually on a phone.

A phone on a bus double-taps and retries, so ``meeting_log`` is idempotent on the form's
``client_id``: the same form sent twice is one meeting, one audit event and one notification.
"""

import datetime
import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import can_write_case
from audit.services import audit_record
from concerns.models import Urgency
from concerns.services import concern_raise
from core.queue import sweep_soon
from mentees.models import Referral
from mentees.selectors import referral_open_for
from mentees.transitions import referral_transition
from relationships.meetings.plan_links import plan_link_meeting
from relationships.models import Goal, Meeting, Relationship
from relationships.transitions import relationship_transition

#: A phone's clock and the server's may disagree by a little; a meeting "in the future" by
#: more than this is a typing slip.
CLOCK_SLACK = datetime.timedelta(minutes=5)
MEETING_IN_FUTURE = "The meeting cannot be in the future"


def _existing(client_id: uuid.UUID) -> Meeting | None:
    return Meeting.objects.filter(client_id=client_id).first()


def _same_form_again(meeting: Meeting, relationship: Relationship) -> Meeting:
    """A repeat of a form already logged: the meeting it made, if it was for this relationship."""
    if meeting.relationship_id != relationship.pk:
        raise ValidationError(
            "This form was already used to log another meeting. Open “Log a meeting” again"
        )
    return meeting


@transaction.atomic
def meeting_log(
    *,
    by: User,
    relationship: Relationship,
    client_id: uuid.UUID,
    held_at: datetime.datetime,
    duration_minutes: int,
    mode: str,
    initiated_by: str,
    outcome: str,
    purpose: str,
    goals: Iterable[Goal] = (),
    note_shared: str = "",
    note_private: str = "",
    concern: str = "",
    concern_category: str = "",
    concern_urgency: str = Urgency.ROUTINE,
    expenses: Decimal | None = None,
    plan_id: int | None = None,
) -> Meeting:
    """Record a contact between mentor and mentee, held or not.

    Written by the relationship's mentor, or by a coordinator of the scheme (a phone call
    they took, say); ``logged_by`` says which. The first meeting actually held makes an
    introduced relationship active and the mentee's referral active with it. A concern
    becomes a ``Concern`` of its own (``concerns.services.concern_raise``), which goes at once
    to every coordinator of the scheme, in the app and by email, without case detail.

    On a paused relationship the meeting is logged and the pause stands: resuming is the
    coordinator's decision, made on the relationship's own page.

    The meeting answers the plan it was for: ``plan_id`` when it was logged from the plan,
    else the relationship's waiting plan on the same day (``plan_links``).
    """
    relationship, is_mentor = _locked_for(by, relationship)
    earlier = _existing(client_id)
    if earlier is not None:
        return _same_form_again(earlier, relationship)
    goals = list(goals)
    held_on = _check_meeting(relationship, held_at=held_at, goals=goals)
    meeting = Meeting(
        relationship=relationship,
        client_id=client_id,
        held_at=held_at,
        duration_minutes=duration_minutes,
        mode=mode,
        initiated_by=initiated_by,
        outcome=outcome,
        purpose=purpose,
        note_shared=note_shared.strip(),
        # Private notes are the mentor's own; a coordinator logging a call has none to keep.
        note_private=note_private.strip() if is_mentor else "",
        expenses=expenses,
        logged_by=by,
    )
    meeting.full_clean(exclude=["client_id"])
    saved = _save_once(meeting)
    if saved is not meeting:
        return _same_form_again(saved, relationship)
    meeting.goals.set(goals)
    _audit_logged(meeting, by=by, goals=goals, concern=bool(concern.strip()))
    plan_link_meeting(meeting=meeting, by=by, plan_id=plan_id)
    if meeting.was_held:
        _first_meeting_held(relationship=relationship, by=by, on=held_on)
    if concern.strip():
        concern_raise(
            by=by,
            mentee=relationship.mentee,
            relationship=relationship,
            meeting=meeting,
            category=concern_category,
            urgency=concern_urgency,
            words=concern,
        )
    sweep_soon(scheme_id=relationship.mentee.scheme_id, relationship_id=relationship.pk)
    return meeting


def _locked_for(by: User, relationship: Relationship) -> tuple[Relationship, bool]:
    """The relationship locked, and whether ``by`` is its mentor; 403 unless they are, or
    coordinate its scheme."""
    # One writer per relationship at a time: the first-meeting rule reads then changes status.
    relationship = (
        Relationship.objects.select_for_update(of=("self",))
        .select_related("mentee__scheme", "mentor")
        .get(pk=relationship.pk)
    )
    is_mentor = relationship.mentor.user_id == by.pk
    if not is_mentor and not can_write_case(by, relationship.mentee.scheme_id):
        raise PermissionDenied
    return relationship, is_mentor


def meeting_time_problem(relationship: Relationship, held_at: datetime.datetime) -> str:
    """What is wrong with the meeting's time, or "": ahead of the clock, or before the match.

    The form asks this too, so a date in 2031 is reported with the form's other errors on
    the first submit, not after they are fixed."""
    if held_at > timezone.now() + CLOCK_SLACK:
        return MEETING_IN_FUTURE
    if timezone.localtime(held_at).date() < relationship.matched_on:
        matched = f"{relationship.matched_on.day} {relationship.matched_on:%b %Y}"
        return f"The meeting cannot be before the match ({matched})"
    return ""


def _check_meeting(
    relationship: Relationship, *, held_at: datetime.datetime, goals: list[Goal]
) -> datetime.date:
    """An open relationship, a time neither ahead of the clock nor before the match, and
    goals of its own plan. Returns the local day the meeting was held."""
    if relationship.status == Relationship.Status.CLOSED:
        raise ValidationError("This relationship is closed: no more meetings can be logged on it")
    if problem := meeting_time_problem(relationship, held_at):
        raise ValidationError({"held_at": problem})
    held_on = timezone.localtime(held_at).date()
    if any(goal.relationship_id != relationship.pk for goal in goals):
        raise ValidationError({"goals": "Choose goals from this relationship's plan only"})
    return held_on


def _save_once(meeting: Meeting) -> Meeting:
    """Save the meeting; if another send of the same form got in first, the meeting it made."""
    try:
        with transaction.atomic():  # a savepoint: a lost race leaves the outer transaction usable
            meeting.save()
    except IntegrityError:
        # Two sends of one form crossed; the unique client_id let only one in.
        earlier = _existing(meeting.client_id)
        if earlier is None:
            raise
        return earlier
    return meeting


def _audit_logged(meeting: Meeting, *, by: User, goals: list[Goal], concern: bool) -> None:
    relationship = meeting.relationship
    audit_record(
        actor=by,
        action="meeting.logged",
        target=meeting,
        scheme=relationship.mentee.scheme,
        detail={
            "relationship": relationship.pk,
            "outcome": meeting.outcome,
            "goals": [goal.pk for goal in goals],
            "concern": concern,
        },
    )


def _first_meeting_held(*, relationship: Relationship, by: User, on: datetime.date) -> None:
    """An introduced relationship starts when the two first actually meet; the referral
    follows (matched → active), so the funnel counts a first meeting, not a match."""
    if relationship.status == Relationship.Status.INTRODUCED:
        relationship_transition(
            by=by,
            relationship=relationship,
            step="first_meeting",
            on=on,
            words="started",
            reason="First meeting held",
        )
        return
    # Paused before they ever met: the relationship waits for its resumption, but the
    # person has now met their mentor, so the referral counts that first meeting.
    referral = referral_open_for(relationship.mentee_id, for_update=True)
    if referral is not None and referral.status == Referral.Status.MATCHED:
        referral_transition(
            by=by,
            referral=referral,
            to_status=Referral.Status.ACTIVE,
            on=min(max(on, referral.status_changed_on), timezone.localdate()),
            by_relationship=True,
        )
