import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from accounts.models import Membership, Role, SignedInSession, User

if TYPE_CHECKING:
    from schemes.models import Scheme


@dataclass(frozen=True)
class Roles:
    """What one user may do, computed once per request from their memberships."""

    is_manager: bool
    coordinator_scheme_ids: frozenset[int]
    mentor_scheme_ids: frozenset[int]

    @property
    def is_coordinator(self) -> bool:
        return bool(self.coordinator_scheme_ids)

    @property
    def is_mentor(self) -> bool:
        return bool(self.mentor_scheme_ids)

    @property
    def is_staff_role(self) -> bool:
        """Managers and coordinators: the people who run schemes."""
        return self.is_manager or self.is_coordinator

    @property
    def home_url_name(self) -> str:
        if self.is_manager:
            return "home:overview"
        if self.is_coordinator:
            return "home:dashboard"
        if self.is_mentor:
            return "relationships:my_mentees"
        return "core:no_role"


NO_ROLES = Roles(
    is_manager=False, coordinator_scheme_ids=frozenset(), mentor_scheme_ids=frozenset()
)


def user_roles(user: User | AnonymousUser) -> Roles:
    """The roles of ``user``, cached on the instance (one query per request)."""
    if not user.is_authenticated or not user.is_active:
        return NO_ROLES
    cached = getattr(user, "_tandem_roles", None)
    if cached is not None:
        return cached
    rows = list(Membership.objects.filter(user=user).values_list("role", "scheme_id"))
    roles = Roles(
        is_manager=any(role == Role.MANAGER for role, _ in rows),
        coordinator_scheme_ids=frozenset(s for role, s in rows if role == Role.COORDINATOR),
        mentor_scheme_ids=frozenset(s for role, s in rows if role == Role.MENTOR),
    )
    user._tandem_roles = roles
    return roles


def user_visible_to(user: User | AnonymousUser) -> QuerySet[User]:
    """People whose accounts ``user`` may see and manage: managers see everyone; nobody
    else manages accounts."""
    if user_roles(user).is_manager:
        return User.objects.all()
    return User.objects.none()


def users_with_memberships(users: QuerySet[User]) -> QuerySet[User]:
    """The one place a people list is given its related rows, so it costs a fixed number of
    queries however many people it shows."""
    return users.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("scheme"))
    )


def membership_visible_to(user: User | AnonymousUser) -> QuerySet[Membership]:
    """Role memberships ``user`` may change: those of the people they may manage."""
    return Membership.objects.filter(user__in=user_visible_to(user))


def coordinator_candidates(user: User | AnonymousUser) -> QuerySet[User]:
    """People a manager may make a coordinator: open accounts of staff, not volunteers.

    Someone whose only roles are as a mentor is a volunteer; one tap must not give them a
    scheme's case records. (A manager can still give any role on the person's own page.)
    """
    volunteers_only = Membership.objects.filter(user=OuterRef("pk")).exclude(role=Role.MENTOR)
    mentors = Membership.objects.filter(user=OuterRef("pk"), role=Role.MENTOR)
    return (
        user_visible_to(user)
        .filter(is_active=True)
        .exclude(Exists(mentors) & ~Exists(volunteers_only))
    )


def coordinators_of(scheme: "Scheme") -> QuerySet[User]:
    """The people who run ``scheme`` now: open accounts holding its coordinator role. They are
    the ones a mentor's concern must reach."""
    return User.objects.filter(
        is_active=True,
        memberships__role=Role.COORDINATOR,
        memberships__scheme=scheme,
    ).distinct()


def managers() -> QuerySet[User]:
    """Open accounts holding the manager role: who hears about a scheme with no coordinator."""
    return User.objects.filter(is_active=True, memberships__role=Role.MANAGER).distinct()


@dataclass(frozen=True)
class SessionLimits:
    idle: datetime.timedelta
    absolute: datetime.timedelta


def session_limits_for(user: User) -> SessionLimits:
    """Staff (managers, coordinators, the admin) see whole schemes: the tighter limits. Someone
    who is both a mentor and a coordinator has the coordinator's. ``user_roles`` is cached on
    the request's user, which every page reads anyway."""
    if user.is_superuser or user.is_staff or user_roles(user).is_staff_role:
        return SessionLimits(
            idle=datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES_STAFF),
            absolute=datetime.timedelta(hours=settings.SESSION_ABSOLUTE_HOURS_STAFF),
        )
    return SessionLimits(
        idle=datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES_MENTOR),
        absolute=datetime.timedelta(hours=settings.SESSION_ABSOLUTE_HOURS_MENTOR),
    )


def signed_in_sessions(user: User) -> QuerySet[SignedInSession]:
    """The sessions ``user`` is signed in with now: within their limits and still stored
    (a session that ended without a logout, like a closed browser, is left out)."""
    limits = session_limits_for(user)
    now = timezone.now()
    live = Session.objects.filter(session_key=OuterRef("session_key"), expire_date__gt=now)
    return SignedInSession.objects.filter(
        Exists(live),
        user=user,
        last_seen_at__gte=now - limits.idle,
        started_at__gte=now - limits.absolute,
    )
