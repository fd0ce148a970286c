"""The relationship's life, run by the scheme's coordinators: pause, resume, agree the ending,
close, reopen. Each service checks what is particular to its step, then takes the step with
``relationships.transitions.relationship_transition``, which writes the history, the audit
event and moves the mentee's referral (closing and reopening carry it with them, so the
funnel never shows an ended match as still active).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from mentees.models import Referral
from mentees.selectors import consent_current, referral_latest_for, referral_open_for
from relationships.life.closures import REFERRAL_EXIT_FOR_CLOSURE
from relationships.life.notices import mentor_told_of_closure
from relationships.models import Pause, Relationship
from relationships.transitions import STEPS, can_take, relationship_transition

S = Relationship.Status

#: What a closure writes on the relationship, and what a reopening clears.
CLOSURE_FIELDS = ("closed_on", "closure_type", "closure_reason", "final_review", "contact_after")


def _locked(relationship: Relationship) -> Relationship:
    return (
        Relationship.objects.select_for_update()
        .select_related("mentee__scheme")
        .get(pk=relationship.pk)
    )


def _check_step(relationship: Relationship, step: str, action: str) -> None:
    if not can_take(step, relationship.status):
        state = relationship.get_status_display().lower()
        raise ValidationError(f"A relationship that is {state} cannot be {action}")


def _check_date(field: str, on: datetime.date, relationship: Relationship) -> None:
    if on > timezone.localdate():
        raise ValidationError({field: "The date cannot be in the future"})
    if on < relationship.matched_on:
        matched = f"{relationship.matched_on:%d %b %Y}"
        raise ValidationError({field: f"The date cannot be before the match ({matched})"})
    last = relationship.changes.order_by("-on").values_list("on", flat=True).first()
    if last is not None and on < last:
        raise ValidationError(
            {field: f"The date cannot be before the last change ({last:%d %b %Y})"}
        )


@transaction.atomic
def relationship_pause(
    *, by: User, relationship: Relationship, reason: str, starts_on: datetime.date, note: str = ""
) -> Pause:
    """Put the relationship on hold (custody, hospital, a mentor's break). The pause is a
    period of its own, so the watcher can leave paused time out of its silence count."""
    relationship = _locked(relationship)
    _check_step(relationship, "pause", "paused")
    _check_date("starts_on", starts_on, relationship)
    pause = Pause(relationship=relationship, reason=reason, note=note.strip(), starts_on=starts_on)
    pause.full_clean()
    pause.save()
    relationship_transition(
        by=by,
        relationship=relationship,
        step="pause",
        on=starts_on,
        words="paused",
        reason=pause.get_reason_display() + (f": {pause.note}" if pause.note else ""),
        detail={"reason": reason},
    )
    return pause


@transaction.atomic
def relationship_resume(
    *, by: User, relationship: Relationship, resumed_on: datetime.date
) -> Relationship:
    """End the open pause and go back to where the relationship was before it."""
    relationship = _locked(relationship)
    _check_step(relationship, "resume", "resumed")
    pause = relationship.pauses.select_for_update().filter(ends_on__isnull=True).first()
    if pause is not None and resumed_on < pause.starts_on:
        started = f"{pause.starts_on:%d %b %Y}"
        raise ValidationError({"resumed_on": f"The pause started on {started}"})
    _check_date("resumed_on", resumed_on, relationship)
    before = (
        relationship.changes.filter(to_status=S.PAUSED)
        .order_by("-on", "-created_at")
        .values_list("from_status", flat=True)
        .first()
    )
    back_to = before if before in STEPS["pause"].sources else S.ACTIVE
    if pause is not None:
        pause.ends_on = resumed_on
        pause.save(update_fields=["ends_on"])
        # No review falls due while paused: the next one moves on by the days paused.
        if relationship.next_review_on is not None:
            relationship.next_review_on += resumed_on - pause.starts_on
    return relationship_transition(
        by=by,
        relationship=relationship,
        step="resume",
        on=resumed_on,
        words="resumed",
        to_status=back_to,
        reason="Resumed",
        update_fields=["next_review_on"],
    )


@transaction.atomic
def relationship_agree_ending(
    *,
    by: User,
    relationship: Relationship,
    exit_plan: str,
    planned_end_on: datetime.date,
    agreed_on: datetime.date,
) -> Relationship:
    """Both sides have agreed how and when it ends: the relationship is now ending, which is
    what protects against it drifting on after its goals are met."""
    relationship = _locked(relationship)
    _check_step(relationship, "agree_ending", "moved to ending")
    if not exit_plan.strip():
        raise ValidationError({"exit_plan": "Write the exit plan both sides agreed"})
    _check_date("agreed_on", agreed_on, relationship)
    if planned_end_on < agreed_on:
        raise ValidationError({"planned_end_on": "The planned end cannot be before today's date"})
    relationship.exit_plan = exit_plan.strip()
    relationship.planned_end_on = planned_end_on
    return relationship_transition(
        by=by,
        relationship=relationship,
        step="agree_ending",
        on=agreed_on,
        words="moved to ending",
        reason=f"Exit plan agreed; planned end {planned_end_on:%d %b %Y}",
        note=relationship.exit_plan,
        detail={"planned_end_on": planned_end_on.isoformat()},
        update_fields=["exit_plan", "planned_end_on"],
    )


@transaction.atomic
def relationship_close(
    *,
    by: User,
    relationship: Relationship,
    closed_on: datetime.date,
    closure_type: str,
    closure_reason: str,
    final_review: str,
    contact_after: str,
) -> Relationship:
    """Bring the relationship to a definite end. The mentee's referral follows: it ends,
    as "mentoring completed" when the closure was planned, otherwise with the exit reason
    that matches the closure's coded reason (``lifecycle.REFERRAL_EXIT_FOR_CLOSURE``)."""
    relationship = _locked(relationship)
    _check_step(relationship, "close", "closed")
    _check_closure(
        closure_type=closure_type,
        closure_reason=closure_reason,
        final_review=final_review,
        contact_after=contact_after,
    )
    _check_date("closed_on", closed_on, relationship)
    relationship.pauses.filter(ends_on__isnull=True).update(ends_on=closed_on)
    _set_closure(
        relationship,
        closed_on=closed_on,
        closure_type=closure_type,
        closure_reason=closure_reason,
        final_review=final_review,
        contact_after=contact_after,
    )
    planned = closure_type == Relationship.ClosureType.PLANNED
    referral = referral_open_for(relationship.mentee_id)
    relationship = relationship_transition(
        by=by,
        relationship=relationship,
        step="close",
        on=closed_on,
        words="closed",
        reason=_closure_words(closure_type, closure_reason, contact_after),
        note=relationship.final_review,
        detail={
            "closure_type": closure_type,
            "closure_reason": closure_reason,
            "contact_after": contact_after,
            "referral": referral.pk if referral else None,
        },
        referral_exit_reason=(
            Referral.ExitReason.COMPLETED if planned else REFERRAL_EXIT_FOR_CLOSURE[closure_reason]
        ),
        referral_note="The relationship closed.",
        update_fields=CLOSURE_FIELDS,
        clean=True,  # as closed: the closure fields need a closed status
    )
    mentor_told_of_closure(relationship)
    return relationship


def _check_closure(
    *, closure_type: str, closure_reason: str, final_review: str, contact_after: str
) -> None:
    """Every closure field filled in with a known code, all the mistakes at once."""
    errors = {}
    if not final_review.strip():
        errors["final_review"] = "Write the final review: what was achieved and how it ended"
    if closure_reason == Relationship.ClosureReason.REMATCHED:
        errors["closure_reason"] = (
            "A re-match closes the old relationship from the matching page, so the person "
            "keeps their place"
        )
    elif closure_reason not in REFERRAL_EXIT_FOR_CLOSURE:
        errors["closure_reason"] = "Choose the reason it closed"
    if closure_type not in Relationship.ClosureType.values:
        errors["closure_type"] = "Say whether the ending was planned"
    if contact_after not in Relationship.ContactAfter.values:
        errors["contact_after"] = "Record what was agreed about contact after closing"
    if errors:
        raise ValidationError(errors)


def _set_closure(
    relationship: Relationship,
    *,
    closed_on: datetime.date,
    closure_type: str,
    closure_reason: str,
    final_review: str,
    contact_after: str,
) -> None:
    """Write the closure on the relationship (not yet saved); the transition sets the status
    and validates the whole (``clean=True``)."""
    relationship.closed_on = closed_on
    relationship.closure_type = closure_type
    relationship.closure_reason = closure_reason
    relationship.final_review = final_review.strip()
    relationship.contact_after = contact_after


def _closure_words(closure_type: str, closure_reason: str, contact_after: str) -> str:
    return (
        f"{Relationship.ClosureType(closure_type).label}: "
        f"{Relationship.ClosureReason(closure_reason).label}. "
        f"Contact after: {Relationship.ContactAfter(contact_after).label.lower()}"
    )


@transaction.atomic
def relationship_reopen(
    *, by: User, relationship: Relationship, reason: str, reopened_on: datetime.date
) -> Relationship:
    """Bring a closed relationship back to active, for instance when someone who lost
    contact gets back in touch. The closure is cleared from the relationship but stays in
    its history (the closing ``RelationshipChange`` keeps the words and the codes).

    The referral comes back with it: the one that ended with this relationship returns to
    active. If the person has been referred again since and is waiting for a match, that
    newer referral is matched and made active instead. Any other state of the referral
    (stopped early by hand, or a new referral still being assessed) is refused, because the
    person's consent and the pipeline have to be sorted out first.
    """
    relationship = _locked(relationship)
    _check_step(relationship, "reopen", "reopened")
    referral = _check_reopen(relationship, reason=reason, reopened_on=reopened_on)
    closure = _clear_closure(relationship, reopened_on=reopened_on)
    return relationship_transition(
        by=by,
        relationship=relationship,
        step="reopen",
        on=reopened_on,
        words="reopened",
        reason=reason.strip(),
        detail={"previous_closure": closure, "referral": referral.pk if referral else None},
        referral_note="The relationship was reopened.",
        update_fields=[*CLOSURE_FIELDS, "exit_plan", "planned_end_on", "next_review_on"],
        clean=True,  # as active: an open relationship has no closure
    )


def _closed_on(relationship: Relationship) -> datetime.date:
    """The day a closed relationship closed, which a database constraint keeps set."""
    if relationship.closed_on is None:
        raise ValueError(f"Relationship {relationship.pk} is closed without a closing date.")
    return relationship.closed_on


def _check_reopen(
    relationship: Relationship, *, reason: str, reopened_on: datetime.date
) -> Referral | None:
    """A reason, a date after the closure, nobody else matched with the person, consent on
    record and a referral that can come back. Returns the person's latest referral."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the relationship is being reopened"})
    _check_date("reopened_on", reopened_on, relationship)
    if reopened_on < _closed_on(relationship):
        raise ValidationError({"reopened_on": "The date cannot be before it closed"})
    other = (
        Relationship.objects.filter(mentee_id=relationship.mentee_id)
        .exclude(status=S.CLOSED)
        .exclude(pk=relationship.pk)
        .select_related("mentor")
        .first()
    )
    if other is not None:
        raise ValidationError(
            f"{relationship.mentee.short_name} is matched with {other.mentor} now; "
            "close that relationship first"
        )
    if consent_current(relationship.mentee) is None:
        raise ValidationError(
            "There is no current consent on record. Mentoring is voluntary: record the "
            "person's consent again before reopening"
        )
    referral = referral_latest_for(relationship.mentee_id)
    if referral is not None and referral.status not in (
        Referral.Status.ENDED,
        Referral.Status.AWAITING_MATCH,
    ):
        raise ValidationError(
            f"The person's referral is {referral.get_status_display().lower()}. Refer them "
            "again and bring the new referral to “awaiting a match” before reopening"
        )
    return referral


def _clear_closure(relationship: Relationship, *, reopened_on: datetime.date) -> dict[str, str]:
    """Clear the closure and the exit plan from the relationship (not yet saved), end any
    pause the closure left open, and set a fresh review point. Returns the closure's codes
    for the audit event; the status itself is left to the transition."""
    closed_on = _closed_on(relationship)
    closure = {
        "closed_on": closed_on.isoformat(),
        "closure_type": relationship.closure_type,
        "closure_reason": relationship.closure_reason,
        "contact_after": relationship.contact_after,
    }
    # Any pause left open by an older closure ends with that closure.
    relationship.pauses.filter(ends_on__isnull=True).update(ends_on=closed_on)
    relationship.closed_on = None
    relationship.closure_type = ""
    relationship.closure_reason = ""
    relationship.final_review = ""
    relationship.contact_after = ""
    relationship.exit_plan = ""
    relationship.planned_end_on = None
    # A fresh review point from the day it restarts; the old date belongs to the closed spell.
    interval = relationship.mentee.scheme.review_interval_weeks
    relationship.next_review_on = reopened_on + datetime.timedelta(weeks=interval)
    return closure
