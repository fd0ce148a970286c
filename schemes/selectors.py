from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet

from accounts.models import User
from accounts.selectors import user_roles
from schemes.models import Mentor, Scheme


def scheme_visible_to(user: User | AnonymousUser) -> QuerySet[Scheme]:
    """Schemes whose records ``user`` may open: all for managers, their own for coordinators.

    Mentors work through their relationships and open no scheme pages.
    """
    roles = user_roles(user)
    if roles.is_manager:
        return Scheme.objects.all()
    return Scheme.objects.filter(pk__in=roles.coordinator_scheme_ids)


def schemes_with_counts(schemes: QuerySet[Scheme]) -> QuerySet[Scheme]:
    """The one place a scheme list gets its figures, as annotations (no query per row)."""
    return schemes.annotate(
        mentee_count=Count("mentees", distinct=True),
        mentor_count=Count("mentors", distinct=True),
        coordinator_count=Count(
            "memberships", filter=Q(memberships__role="coordinator"), distinct=True
        ),
    )


def mentor_visible_to(user: User | AnonymousUser) -> QuerySet[Mentor]:
    """Mentor files ``user`` may open: those of the schemes they can see, plus their own."""
    return Mentor.objects.filter(
        Q(scheme__in=scheme_visible_to(user)) | Q(user_id=getattr(user, "pk", None))
    )
