from django.db import transaction

from accounts.models import User
from audit.services import audit_record
from schemes.models import Scheme


@transaction.atomic
def scheme_create(*, by: User, name: str, kind: str, area: str) -> Scheme:
    scheme = Scheme(name=name.strip(), kind=kind, area=area.strip())
    scheme.full_clean()
    scheme.save()
    audit_record(actor=by, action="scheme.created", target=scheme, scheme=scheme)
    return scheme


@transaction.atomic
def scheme_update(*, scheme: Scheme, by: User, name: str, kind: str, area: str) -> Scheme:
    before = {"name": scheme.name, "kind": scheme.kind, "area": scheme.area}
    scheme.name, scheme.kind, scheme.area = name.strip(), kind, area.strip()
    scheme.full_clean()
    scheme.save()
    changed = sorted(k for k, v in before.items() if getattr(scheme, k) != v)
    audit_record(
        actor=by, action="scheme.updated", target=scheme, scheme=scheme, detail={"fields": changed}
    )
    return scheme
