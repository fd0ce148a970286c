from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from accounts.models import Membership, Role, User
from accounts.selectors import user_roles
from mentees.models import Mentee, Referral
from schemes.models import Mentor, Scheme


def scheme_visible_to(user: User | AnonymousUser) -> QuerySet[Scheme]:
    """Schemes whose records ``user`` may open: all for managers, their own for coordinators.

    Mentors work through their relationships and open no scheme pages.
    """
    roles = user_roles(user)
    if roles.is_manager:
        return Scheme.objects.all()
    return Scheme.objects.filter(pk__in=roles.coordinator_scheme_ids)


def schemes_coordinated_by(user: User | AnonymousUser) -> QuerySet[Scheme]:
    """Schemes where ``user`` may write case records (see ``require_coordinator_of``)."""
    return scheme_visible_to(user).filter(pk__in=user_roles(user).coordinator_scheme_ids)


def _count(queryset: QuerySet) -> Subquery:
    """COUNT(*) of ``queryset`` per outer scheme, as a correlated subquery."""
    return Subquery(
        queryset.filter(scheme=OuterRef("pk"))
        .order_by()
        .values("scheme")
        .annotate(n=Count("*"))
        .values("n"),
        output_field=IntegerField(),
    )


def schemes_with_counts(schemes: QuerySet[Scheme]) -> QuerySet[Scheme]:
    """The one place a scheme list gets its figures, as annotations (no query per row).

    One correlated count per figure: joining mentees, mentors and memberships at once and
    counting distinct rows multiplies the rows (seconds at national scale).
    """
    return schemes.annotate(
        mentee_count=Coalesce(_count(Mentee.objects.all()), 0),
        mentor_count=Coalesce(_count(Mentor.objects.all()), 0),
        coordinator_count=Coalesce(_count(Membership.objects.filter(role=Role.COORDINATOR)), 0),
        waiting_count=Coalesce(
            Subquery(
                Referral.objects.filter(
                    mentee__scheme=OuterRef("pk"), status=Referral.Status.AWAITING_MATCH
                )
                .order_by()
                .values("mentee__scheme")
                .annotate(n=Count("*"))
                .values("n"),
                output_field=IntegerField(),
            ),
            0,
        ),
    )


def mentor_visible_to(user: User | AnonymousUser) -> QuerySet[Mentor]:
    """Mentor files ``user`` may open: those of the schemes they can see, plus their own."""
    if not user.is_authenticated:
        return Mentor.objects.none()
    return Mentor.objects.filter(Q(scheme__in=scheme_visible_to(user)) | Q(user=user))


def scheme_choices_for(request: HttpRequest | None) -> QuerySet[Scheme]:
    """The scheme choices of a list's filter: the schemes the user can see, never every
    scheme (django-filter calls this with the request, or None outside one)."""
    if request is None:
        return Scheme.objects.none()
    return scheme_visible_to(request.user)
