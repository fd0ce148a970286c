from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import User
from accounts.selectors import user_roles
from reports.models import ReportExport
from schemes.models import Funding
from schemes.selectors import scheme_visible_to


def report_export_visible_to(user: User | AnonymousUser) -> QuerySet[ReportExport]:
    """A person's own exports: a file someone else took out is theirs to account for."""
    if not user.is_authenticated or not user_roles(user).is_staff_role:
        return ReportExport.objects.none()
    return ReportExport.objects.filter(requested_by=user)


def funders_visible_to(user: User | AnonymousUser) -> list[str]:
    """Funders of the schemes ``user`` may report on, by name."""
    names = (
        Funding.objects.filter(scheme__in=scheme_visible_to(user))
        .values_list("funder", flat=True)
        .distinct()
    )
    return sorted({name.strip() for name in names}, key=str.casefold)
