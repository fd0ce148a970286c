import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from audit.services import audit_record
from mentees.models import Mentee
from relationships.models import Relationship
from schemes.models import Mentor


@transaction.atomic
def relationship_create(
    *, by: User | None, mentee: Mentee, mentor: Mentor, matched_on: datetime.date
) -> Relationship:
    """Match a mentor with a mentee. Matching rules (vetting, capacity, restrictions) arrive
    with the matching work; the scheme rule holds already."""
    if mentor.scheme_id != mentee.scheme_id:
        raise ValidationError("A mentor can only be matched with a mentee of their own scheme.")
    relationship = Relationship(mentee=mentee, mentor=mentor, matched_on=matched_on)
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
        relationship.status = Relationship.Status.CLOSED
        relationship.closed_on = max(on, relationship.matched_on)
        relationship.save(update_fields=["status", "closed_on"])
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
