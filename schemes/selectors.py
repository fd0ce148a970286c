from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from accounts.models import Membership, Role, User
from accounts.permissions import can_write_case
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


def scheme_for_write(user: User, pk: int) -> Scheme:
    """The scheme ``pk``, for changing its details, rules, funding, targets or coordinators:
    404 unless ``user`` may open it, 403 unless they are a manager. Coordinators run a
    scheme's cases, not the scheme itself."""
    scheme = get_object_or_404(scheme_visible_to(user), pk=pk)
    if not user_roles(user).is_manager:
        raise PermissionDenied
    return scheme


def schemes_coordinated_by(user: User | AnonymousUser) -> QuerySet[Scheme]:
    """Schemes where ``user`` may write case records (``can_write_case``): only those they
    coordinate (managers read every scheme but write no case records)."""
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


def is_own_mentor_file(user: User | AnonymousUser, mentor: Mentor) -> bool:
    """Is ``mentor`` the file of ``user`` themselves (a coordinator who also mentors, say)?
    Nobody vets, supervises or promotes themselves, so nobody writes their own file."""
    return mentor.user_id is not None and mentor.user_id == user.pk


def own_mentor_file(user: User | AnonymousUser, pk: int) -> Mentor:
    """The mentor file ``pk`` if it is ``user``'s own, for the pages where a mentor keeps it up
    to date (availability, time away, capacity request, contact details, reflection): 404 for
    anyone else's file, whatever their role, even another mentor's in the same scheme."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(Mentor.objects.select_related("scheme"), pk=pk, user_id=user.pk)


#: Why a mentor who has left cannot change their file, in their words (the 403 page says it).
LEFT_REFUSAL = "You have left this scheme, so your mentor profile can no longer be changed."


def refuse_left_mentor(mentor: Mentor) -> None:
    """A mentor who has left keeps their profile to read, but writes nothing to it: no
    availability, time away, contact details, capacity request or reflection (their
    reflection was deleted when they left; a new one would never be). A paused mentor is on
    a break, not out: they keep their file up to date for their return. Every self-service
    write calls this, as does ``own_mentor_file_for_write`` for the pages."""
    if mentor.status == Mentor.Status.LEFT:
        raise PermissionDenied(LEFT_REFUSAL)


def own_mentor_file_for_write(user: User | AnonymousUser, pk: int) -> Mentor:
    """``own_mentor_file``, for a page that changes it: 404 for anyone else's file, 403 (in
    words) if the mentor has left the scheme."""
    mentor = own_mentor_file(user, pk)
    refuse_left_mentor(mentor)
    return mentor


def own_mentor_files(user: User | AnonymousUser) -> QuerySet[Mentor]:
    """Every mentor file of ``user`` (someone mentoring in two schemes has one in each), the
    ones they still mentor in first, then by scheme name."""
    if not user.is_authenticated:
        return Mentor.objects.none()
    left_last = Case(When(status=Mentor.Status.LEFT, then=Value(1)), default=Value(0))
    return (
        Mentor.objects.filter(user_id=user.pk)
        .select_related("scheme")
        .order_by(left_last, "scheme__name", "pk")
    )


def mentor_for_write(user: User, pk: int) -> Mentor:
    """The mentor file ``pk``, for writing to it: 404 unless ``user`` may open it, 403 unless
    they coordinate its scheme (``can_write_case``: managers only read) and 403 on their own
    file (``is_own_mentor_file``; every write to a mentor's file refuses it too, through
    ``schemes.mentors.file_writes.refuse_own_file``)."""
    mentor = get_object_or_404(mentor_visible_to(user).select_related("scheme"), pk=pk)
    if not can_write_case(user, mentor.scheme_id) or is_own_mentor_file(user, mentor):
        raise PermissionDenied
    return mentor


def scheme_choices_for(request: HttpRequest | None) -> QuerySet[Scheme]:
    """The scheme choices of a list's filter: the schemes the user can see, never every
    scheme (django-filter calls this with the request, or None outside one)."""
    if request is None:
        return Scheme.objects.none()
    return scheme_visible_to(request.user)
