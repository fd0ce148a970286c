"""Who must give a code from an app after their password."""

from django.contrib.auth.models import AnonymousUser

from accounts.models import Membership, Role, User
from accounts.selectors import user_roles


def second_factor_required(user: User | AnonymousUser) -> bool:
    """Staff who see many people's records must: managers, coordinators and anyone who can
    open the admin. A mentor must when a scheme of theirs asks it
    (``Scheme.second_factor_for_mentors``); other mentors may choose to."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser or user_roles(user).is_staff_role:
        return True
    return Membership.objects.filter(
        user=user, role=Role.MENTOR, scheme__second_factor_for_mentors=True
    ).exists()
