import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from audit.services import audit_record
from mentees.models import Mentee
from relationships.models import Relationship, RelationshipChange
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
    waiting) are checked by ``relationships.matching_services.relationship_match``, the
    coordinator's way in; this holds only the scheme rule, for imports of past matches."""
    if mentor.scheme_id != mentee.scheme_id:
        raise ValidationError("A mentor can only be matched with a mentee of their own scheme.")
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


CR = Relationship.ClosureReason
#: Why a relationship closed when its referral stopped, from the referral's exit reason (or
#: "unmatched" when a coordinator sent the referral back to wait for another mentor).
CLOSURE_FOR_REFERRAL_REASON: dict[str, str] = {
    "unmatched": CR.REMATCHED,
    "consent_withdrawn": CR.MENTEE_WITHDREW,
    "not_interested": CR.MENTEE_WITHDREW,
    "bad_timing": CR.MENTEE_WITHDREW,
    "already_supported": CR.MENTEE_WITHDREW,
    "moved_away": CR.MOVED_AWAY,
    "returned_to_custody": CR.CUSTODY,
    "no_response": CR.LOST_CONTACT,
    "no_address": CR.LOST_CONTACT,
    "risk_too_high": CR.SCHEME_RULES,
    "needs_specialist": CR.SCHEME_RULES,
    "outside_criteria": CR.SCHEME_RULES,
    "too_short": CR.SCHEME_RULES,
}


@transaction.atomic
def relationships_end_for_mentee(
    *, by: User, mentee: Mentee, on: datetime.date, reason: str
) -> list[Relationship]:
    """Close a person's open relationships because their referral stopped (consent withdrawn,
    lost contact, no longer suitable, or unmatched to wait for another mentor).

    A mentor must not keep sight of someone who has left the scheme's care. The closure
    review and reason codes of the relationships work will add to this; the access rule
    holds already.
    """
    ended = []
    open_ones = (
        Relationship.objects.select_for_update()
        .filter(mentee=mentee)
        .exclude(status=Relationship.Status.CLOSED)
    )
    for relationship in open_ones:
        from_status = relationship.status
        relationship.status = Relationship.Status.CLOSED
        relationship.closed_on = max(on, relationship.matched_on)
        relationship.closure_type = Relationship.ClosureType.UNPLANNED
        relationship.closure_reason = CLOSURE_FOR_REFERRAL_REASON.get(
            reason, Relationship.ClosureReason.OTHER
        )
        relationship.save(update_fields=["status", "closed_on", "closure_type", "closure_reason"])
        RelationshipChange.objects.create(
            relationship=relationship,
            from_status=from_status,
            to_status=Relationship.Status.CLOSED,
            on=relationship.closed_on,
            reason=relationship.get_closure_reason_display(),
            by=by,
        )
        audit_record(
            actor=by,
            action="relationship.closed",
            target=relationship,
            scheme=mentee.scheme,
            detail={"reason": reason},
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
