from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.selectors import user_roles
from relationships.models import Relationship


def relationship_visible_to(user: User | AnonymousUser) -> QuerySet[Relationship]:
    """Relationships ``user`` may open: all for managers, their schemes' for coordinators,
    and a mentor's own open relationships in schemes where they still hold the mentor role."""
    roles = user_roles(user)
    if roles.is_manager:
        return Relationship.objects.all()
    scope = Q(mentee__scheme_id__in=roles.coordinator_scheme_ids)
    if roles.is_mentor:
        scope |= Q(mentor__user=user, mentor__scheme_id__in=roles.mentor_scheme_ids) & ~Q(
            status=Relationship.Status.CLOSED
        )
    return Relationship.objects.filter(scope)


def relationships_for_list(relationships: QuerySet[Relationship]) -> QuerySet[Relationship]:
    """The one place a relationship list is given its related rows."""
    return relationships.select_related("mentee", "mentor", "mentee__scheme")
