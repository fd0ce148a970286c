import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest

from accounts.models import User
from audit.services import audit_record
from mentees.models import Mentee
from relationships.life.closures import CLOSURE_FOR_REFERRAL_EXIT
from relationships.models import Relationship
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
