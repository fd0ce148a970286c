"""Reads of flags: who may see which, and the queue as a coordinator works through it."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import User
from accounts.selectors import user_roles
from flags.models import Flag
from relationships.models import Relationship


def flag_visible_to(user: User | AnonymousUser) -> QuerySet[Flag]:
    """Flags with their evidence and the coordinator's notes are for staff: managers see
    every scheme's, coordinators their schemes'. Mentors see prompts instead
    (``mentor_prompts_for``), never the flags themselves."""
    roles = user_roles(user)
    if roles.is_manager:
        return Flag.objects.all()
    return Flag.objects.filter(scheme_id__in=roles.coordinator_scheme_ids)


def flags_for_queue(flags: QuerySet[Flag]) -> QuerySet[Flag]:
    """The queue's order: most severe first, then the oldest, with what each row shows."""
    return flags.select_related(
        "scheme",
        "relationship__mentee",
        "relationship__mentor",
        "referral__mentee",
        "acknowledged_by",
        "resolved_by",
    ).order_by("-severity", "raised_at", "pk")


def live_flags_for_relationships(
    relationships: QuerySet[Relationship] | list[int],
) -> QuerySet[Flag]:
    return Flag.objects.filter(relationship__in=relationships, status__in=Flag.LIVE_STATUSES)
