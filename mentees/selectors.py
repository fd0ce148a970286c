from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.selectors import user_roles
from mentees.models import Mentee
from relationships.models import Relationship


def mentee_visible_to(user: User | AnonymousUser) -> QuerySet[Mentee]:
    """Mentees whose record ``user`` may open.

    Managers: everyone. Coordinators: everyone in the schemes they coordinate. Mentors: only
    the people they are matched with now (a relationship that is not closed), in a scheme
    where they still hold the mentor role: taking the role away takes the access away.
    """
    roles = user_roles(user)
    if roles.is_manager:
        return Mentee.objects.all()
    scope = Q(scheme_id__in=roles.coordinator_scheme_ids)
    if roles.is_mentor:
        scope |= Q(
            pk__in=Relationship.objects.filter(
                mentor__user=user, mentor__scheme_id__in=roles.mentor_scheme_ids
            )
            .exclude(status=Relationship.Status.CLOSED)
            .values("mentee_id")
        )
    return Mentee.objects.filter(scope)


def mentees_for_list(mentees: QuerySet[Mentee]) -> QuerySet[Mentee]:
    """The one place a mentee list is given its related rows."""
    return mentees.select_related("scheme")


def mentees_matching(mentees: QuerySet[Mentee], query: str) -> QuerySet[Mentee]:
    """Narrow a list by name or reference, as a coordinator types it."""
    q = Q()
    for word in query.split():
        q &= (
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(reference__iexact=word)
        )
    return mentees.filter(q)
