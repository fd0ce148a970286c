import datetime

from django.db import transaction

from accounts.models import User
from audit.services import audit_record
from mentees.models import Mentee
from schemes.models import Scheme


@transaction.atomic
def mentee_create(
    *,
    by: User | None,
    scheme: Scheme,
    reference: str,
    given_name: str,
    family_name: str,
    date_of_birth: datetime.date | None = None,
) -> Mentee:
    mentee = Mentee(
        scheme=scheme,
        reference=reference,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        date_of_birth=date_of_birth,
    )
    mentee.full_clean()
    mentee.save()
    audit_record(actor=by, action="mentee.created", target=mentee, scheme=scheme)
    return mentee


def mentee_record_viewed(*, mentee: Mentee, by: User) -> None:
    """Reading a case record is itself recorded: people with convictions are entitled to
    know who has looked at their file."""
    audit_record(actor=by, action="mentee.viewed", target=mentee, scheme=mentee.scheme)
