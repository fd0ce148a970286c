"""Making and undoing a match: the coordinator's writes behind the suggestions page.

A match is checked again here, against the records as they are now, so a page left open
while a mentor's vetting lapsed or their last place was taken cannot match them. Undoing a
match closes the relationship (it stays in the mentee's history) and sends the referral
back to wait; a re-match is an un-match followed by a new match.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.models import Notification
from core.services import notify
from mentees.models import Mentee, Referral, Situation
from mentees.selectors import referral_open_for
from relationships.life.notices import private_notes_sentence
from relationships.matching.constraints import hard_reasons
from relationships.models import Relationship
from relationships.models.choices import FirstMeeting
from relationships.services import relationship_create
from relationships.transitions import relationship_transition
from schemes.models import Mentor

CUSTODY_PLANS = (FirstMeeting.CUSTODY_VISIT, FirstMeeting.PRISON_GATE, FirstMeeting.AFTER_RELEASE)
COMMUNITY_PLANS = (FirstMeeting.FACE_TO_FACE, FirstMeeting.PHONE_FIRST)


def first_meeting_plans(mentee: Mentee) -> tuple[FirstMeeting, ...]:
    return CUSTODY_PLANS if mentee.situation == Situation.IN_CUSTODY else COMMUNITY_PLANS


CR = Relationship.ClosureReason
#: Why a coordinator undoes a match while the person still wants a mentor. A person who
#: withdrew or was lost is an exit from the referral (``referral_move``), not an un-match.
UNMATCH_REASONS = (CR.REMATCHED, CR.MENTOR_LEFT, CR.MOVED_AWAY, CR.OTHER)


@transaction.atomic
def relationship_match(
    *,
    by: User,
    mentee: Mentee,
    mentor: Mentor,
    first_meeting: str,
    note: str = "",
    tell_mentor: bool = True,
) -> Relationship:
    """Match ``mentor`` with ``mentee`` today, after checking every hard constraint again.

    The referral must be waiting for a match; it moves to matched. ``relationship_create``
    audits the match. The mentor is told in the app and by email, with nothing about the
    case but the person's first name, unless ``tell_mentor`` is False (they accepted the
    offer themselves). A coordinator reaches this only through an offer the mentor accepts
    (``relationships.matching.offer_services``).
    """
    today = timezone.localdate()
    mentor = check_match(mentee=mentee, mentor=mentor, first_meeting=first_meeting, on=today)
    in_custody = mentee.situation == Situation.IN_CUSTODY
    relationship = relationship_create(
        by=by,
        mentee=mentee,
        mentor=mentor,
        matched_on=today,
        matched_in_custody=in_custody,
        next_review_on=today + datetime.timedelta(weeks=mentee.scheme.review_interval_weeks),
    )
    plan = f"First meeting: {FirstMeeting(first_meeting).label.lower()}."
    note = " ".join(note.split())
    relationship_transition(
        by=by,
        relationship=relationship,
        step="match",
        on=today,
        words="matched",
        reason=f"{plan} {note}".strip(),
        referral_note=f"Matched with {mentor}",
    )
    if tell_mentor:
        _tell_the_mentor(mentor=mentor, mentee=mentee, relationship=relationship)
    return relationship


def check_match(*, mentee: Mentee, mentor: Mentor, first_meeting: str, on: datetime.date) -> Mentor:
    """A referral waiting for a match, a mentor of the same scheme who passes every hard
    constraint now, and a first meeting that suits the person's situation. Returns the
    mentor locked, so two coordinators cannot both take a mentor's last place. Used again
    when the mentor accepts an offer (``offer_services``)."""
    referral = referral_open_for(mentee.pk, for_update=True)
    if referral is None or referral.status != Referral.Status.AWAITING_MATCH:
        where = referral.get_status_display().lower() if referral else "no open referral"
        raise ValidationError(
            f"{mentee.short_name} is not waiting for a match ({where}), so cannot be matched"
        )
    if mentor.scheme_id != mentee.scheme_id:
        raise ValidationError("A mentor can only be matched with a mentee of their own scheme")
    mentor = Mentor.objects.select_for_update().get(pk=mentor.pk)
    reasons = hard_reasons(
        mentee=mentee,
        mentor=mentor,
        restrictions=list(mentee.restrictions.filter(ended_on=None)),
        on=on,
    )
    if reasons:
        raise ValidationError(f"{mentor} can no longer be matched: " + " ".join(reasons))
    plans = first_meeting_plans(mentee)
    if first_meeting not in plans:
        allowed = "; ".join(p.label.lower() for p in plans)
        raise ValidationError({"first_meeting": f"Choose one of: {allowed}"})
    return mentor


def _tell_the_mentor(*, mentor: Mentor, mentee: Mentee, relationship: Relationship) -> None:
    """In the app and by email, with nothing about the case but the person's first name."""
    mentor_user = mentor.user if mentor.user_id else None
    if mentor_user is not None:
        notify(
            recipients=[mentor_user],
            audience=Notification.Audience.MENTOR,
            subject=f"You have been matched with {mentee.short_name}",
            body=(
                f"Your coordinator has matched you with {mentee.short_name}. Open Tandem to "
                "see how to get in touch, anything you need to know to meet safely, and the "
                "plan for your first meeting."
            ),
            url=reverse("relationships:detail", args=[relationship.pk]),
            scheme_id=mentee.scheme_id,
            mentee_id=mentee.pk,
        )


@transaction.atomic
def relationship_unmatch(
    *, by: User, relationship: Relationship, reason: str, note: str = ""
) -> Relationship:
    """Undo a match: the relationship closes (unplanned, with the reason) and stays in the
    mentee's history, and the referral goes back to waiting for a match."""
    relationship = (
        Relationship.objects.select_for_update(of=("self",))
        .select_related("mentee", "mentee__scheme", "mentor", "mentor__user")
        .get(pk=relationship.pk)
    )
    if relationship.status == Relationship.Status.CLOSED:
        raise ValidationError("This relationship has already closed")
    if reason not in UNMATCH_REASONS:
        allowed = "; ".join(CR(r).label.lower() for r in UNMATCH_REASONS)
        raise ValidationError({"reason": f"Choose one of: {allowed}"})
    note = " ".join(note.split())
    if reason == CR.OTHER and not note:
        raise ValidationError({"note": "Say why the match is being undone"})
    mentee = relationship.mentee
    today = timezone.localdate()
    relationship.closed_on = max(today, relationship.matched_on)
    relationship.closure_type = Relationship.ClosureType.UNPLANNED
    relationship.closure_reason = reason
    # A pause ends with the relationship, as on every other way of closing one.
    relationship.pauses.filter(ends_on__isnull=True).update(
        ends_on=Greatest(F("starts_on"), Value(relationship.closed_on))
    )
    why = relationship.get_closure_reason_display()
    relationship_transition(
        by=by,
        relationship=relationship,
        step="unmatch",
        on=relationship.closed_on,
        words="un-matched",
        reason=f"Un-matched: {why}. {note}".strip(),
        detail={"reason": reason},
        referral_note=f"Un-matched from {relationship.mentor}: {why.lower()}",
        update_fields=["closed_on", "closure_type", "closure_reason"],
    )
    mentor_user = relationship.mentor.user
    if mentor_user is not None:
        notify(
            recipients=[mentor_user],
            audience=Notification.Audience.MENTOR,
            subject=f"Your match with {mentee.short_name} has ended",
            body=(
                f"Your coordinator has ended your match with {mentee.short_name}. You will no "
                "longer see their record. Talk to your coordinator if you have questions. "
                f"{private_notes_sentence(relationship)}"
            ),
            url=reverse("relationships:my_mentees"),
            scheme_id=mentee.scheme_id,
            mentee_id=mentee.pk,
        )
    return relationship
