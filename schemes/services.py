from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from audit.services import audit_record
from schemes.models import Funding, Scheme, Target

SCHEME_FIELDS = {
    "name",
    "kind",
    "area",
    "cap_meetings",
    "cap_weeks",
    "review_interval_weeks",
    "expected_contact_days",
    *(f.name for f in Scheme._meta.fields if f.name.startswith("flag_")),
}


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - SCHEME_FIELDS
    if unknown:
        raise ValueError(f"Unknown scheme fields: {sorted(unknown)}")


@transaction.atomic
def scheme_create(*, by: User, **fields: Any) -> Scheme:
    _check_fields(fields)
    scheme = Scheme(**fields)
    scheme.name, scheme.area = scheme.name.strip(), scheme.area.strip()
    scheme.full_clean()
    scheme.save()
    audit_record(actor=by, action="scheme.created", target=scheme, scheme=scheme)
    return scheme


@transaction.atomic
def scheme_update(*, scheme: Scheme, by: User, **fields: Any) -> Scheme:
    """Change a scheme's details, rules or thresholds; the audit names what changed."""
    _check_fields(fields)
    if "name" in fields:
        fields["name"] = fields["name"].strip()
    if "area" in fields:
        fields["area"] = fields["area"].strip()
    changed = sorted(k for k, v in fields.items() if getattr(scheme, k) != v)
    if not changed:
        return scheme
    for name, value in fields.items():
        setattr(scheme, name, value)
    scheme.full_clean()
    scheme.save()
    audit_record(
        actor=by, action="scheme.updated", target=scheme, scheme=scheme, detail={"fields": changed}
    )
    return scheme


@transaction.atomic
def funding_add(*, by: User, scheme: Scheme, **fields: Any) -> Funding:
    funding = Funding(scheme=scheme, **fields)
    funding.full_clean()
    funding.save()
    audit_record(
        actor=by,
        action="scheme.funding_added",
        target=scheme,
        scheme=scheme,
        detail={"funding": funding.pk},
    )
    return funding


@transaction.atomic
def funding_remove(*, by: User, funding: Funding) -> None:
    scheme, pk = funding.scheme, funding.pk
    funding.delete()
    audit_record(
        actor=by,
        action="scheme.funding_removed",
        target=scheme,
        scheme=scheme,
        detail={"funding": pk},
    )


@transaction.atomic
def target_add(*, by: User, scheme: Scheme, **fields: Any) -> Target:
    target = Target(scheme=scheme, **fields)
    target.full_clean()
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError as exc:
        raise ValidationError("There is already a target for this stage and period.") from exc
    audit_record(
        actor=by,
        action="scheme.target_added",
        target=scheme,
        scheme=scheme,
        detail={"stage": target.stage, "number": target.number},
    )
    return target


@transaction.atomic
def target_remove(*, by: User, target: Target) -> None:
    scheme, stage = target.scheme, target.stage
    target.delete()
    audit_record(
        actor=by,
        action="scheme.target_removed",
        target=scheme,
        scheme=scheme,
        detail={"stage": stage},
    )
