from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import User
from accounts.selectors import user_roles
from reports.models import ReportExport
from schemes.models import Funding
from schemes.selectors import scheme_visible_to


def report_export_visible_to(user: User | AnonymousUser) -> QuerySet[ReportExport]:
    """A person's own exports: a file someone else took out is theirs to account for.

    Read against their roles now, not when they asked: an export covering a scheme they no
    longer reach, or a case-level extract once they are no longer a manager, is not found
    (its page, progress, download and the recent list alike), so access follows a role
    change at once.
    """
    roles = user_roles(user)
    if not user.is_authenticated or not roles.is_staff_role:
        return ReportExport.objects.none()
    mine = ReportExport.objects.filter(requested_by=user)
    if roles.is_manager:
        return mine
    # The covered schemes are a JSON list; compared here rather than in SQL (``contained_by``
    # is PostgreSQL's), over one person's own exports.
    reached = [
        pk
        for pk, scheme_ids in mine.exclude(kind=ReportExport.Kind.CASE_EXTRACT).values_list(
            "pk", "scheme_ids"
        )
        if set(scheme_ids) <= roles.coordinator_scheme_ids
    ]
    return mine.filter(pk__in=reached)


def funders_visible_to(user: User | AnonymousUser) -> list[str]:
    """Funders of the schemes ``user`` may report on, by name."""
    names = (
        Funding.objects.filter(scheme__in=scheme_visible_to(user))
        .values_list("funder", flat=True)
        .distinct()
    )
    return sorted({name.strip() for name in names}, key=str.casefold)
