import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from core.models import Notification
from core.services import notify
from mentees.models import Mentee
from relationships.life.closures import CLOSURE_FOR_REFERRAL_EXIT
from relationships.life.notices import mentor_told_of_closure
from relationships.matching.offer_transitions import offer_transition
from relationships.models import MatchOffer, Relationship
from relationships.transitions import relationship_transition
from schemes.models import Mentor


@transaction.atomic
def relationship_create(
    *,
    by: User | None,
    mentee: Mentee,
    mentor: Mentor,
    matched_on: datetime.date,
    matched_in_custody: bool = False,
    next_review_on: datetime.date | None = None,
) -> Relationship:
    """Record a match. The matching rules (vetting, capacity, restrictions, the referral
    waiting) are checked by ``relationships.matching.services.relationship_match``, the
    coordinator's way in; this holds only the scheme rule, for imports of past matches."""
    if mentor.scheme_id != mentee.scheme_id:
        raise ValidationError("A mentor can only be matched with a mentee of their own scheme")
    relationship = Relationship(
        mentee=mentee,
        mentor=mentor,
        matched_on=matched_on,
        matched_by=by,
        matched_in_custody=matched_in_custody,
        next_review_on=next_review_on,
    )
    relationship.full_clean()
    relationship.save()
    audit_record(
        actor=by,
        action="relationship.created",
        target=relationship,
        scheme=mentee.scheme,
        detail={"mentee": mentee.pk, "mentor": mentor.pk},
    )
    return relationship


@transaction.atomic
def relationships_end_for_mentee(
    *, by: User, mentee: Mentee, on: datetime.date, reason: str
) -> list[Relationship]:
    """Close a person's open relationships because their referral stopped (consent withdrawn,
    lost contact, no longer suitable, or unmatched to wait for another mentor).

    A mentor must not keep sight of someone who has left the scheme's care. Such a closure
    is unplanned, coded from the referral's exit reason (``lifecycle.CLOSURE_FOR_REFERRAL_EXIT``),
    and written into the relationship's history like any other step. The referral has
    already moved, so it is left alone here.
    """
    ended = []
    open_ones = (
        Relationship.objects.select_for_update()
        .filter(mentee=mentee)
        .exclude(status=Relationship.Status.CLOSED)
    )
    closure_reason = CLOSURE_FOR_REFERRAL_EXIT.get(reason, Relationship.ClosureReason.OTHER)
    for relationship in open_ones.select_related("mentee"):
        closed_on = max(on, relationship.matched_on)
        relationship.closed_on = closed_on
        relationship.closure_type = Relationship.ClosureType.UNPLANNED
        relationship.closure_reason = closure_reason
        relationship.pauses.filter(ends_on__isnull=True).update(
            ends_on=Greatest(F("starts_on"), Value(closed_on))
        )
        relationship_transition(
            by=by,
            relationship=relationship,
            step="end_with_referral",
            on=closed_on,
            words="closed",
            reason=f"Unplanned: {Relationship.ClosureReason(closure_reason).label} "
            "(the referral stopped)",
            detail={
                "reason": reason,
                "closure_type": "unplanned",
                "closure_reason": closure_reason,
            },
            update_fields=["closed_on", "closure_type", "closure_reason"],
        )
        mentor_told_of_closure(relationship)
        ended.append(relationship)
    return ended


def relationship_viewed(*, relationship: Relationship, by: User) -> None:
    """Opening a relationship's record (meetings, notes, reviews) is logged, as for the
    mentee's own file."""
    audit_record(
        actor=by,
        action="relationship.viewed",
        target=relationship,
        scheme=relationship.mentee.scheme,
    )


def offers_withdraw_for_referral(*, by: User, referral_id: int) -> list[MatchOffer]:
    """Withdraw the offer waiting for an answer when its person stops waiting for a match
    (the referral moved on by hand, or consent was withdrawn), so no mentor is asked to take
    on someone who has left; the mentor is told, with the first name only."""
    withdrawn = []
    pending = MatchOffer.objects.select_for_update(of=("self",)).filter(
        referral_id=referral_id, status=MatchOffer.Status.PENDING
    )
    for offer in pending.select_related("mentee", "mentee__scheme", "mentor", "mentor__user"):
        offer_transition(offer=offer, to=MatchOffer.Status.WITHDRAWN, by=by, at=timezone.now())
        if offer.mentor.user is not None:
            notify(
                recipients=[offer.mentor.user],
                audience=Notification.Audience.MENTOR,
                subject=f"The offer to mentor {offer.mentee.short_name} was withdrawn",
                body=(
                    f"The offer to mentor {offer.mentee.short_name} was withdrawn: they are no "
                    "longer waiting for a mentor. There is nothing you need to do."
                ),
                url=reverse("relationships:my_mentees"),
                scheme_id=offer.mentee.scheme_id,
                mentee_id=offer.mentee_id,
            )
        withdrawn.append(offer)
    return withdrawn
