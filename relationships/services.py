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
