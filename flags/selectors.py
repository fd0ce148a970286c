"""Reads of flags: who may see which, and the queue as a coordinator works through it."""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Case,
    CharField,
    Exists,
    OuterRef,
    QuerySet,
    TextChoices,
    Value,
    When,
)
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.permissions import require_coordinator_of
from accounts.selectors import user_roles
from flags.models import DEPENDENCY_KINDS, Flag
from flags.rules.prompts import mentor_prompt
from relationships.models import Relationship


def flag_visible_to(user: User | AnonymousUser) -> QuerySet[Flag]:
    """Flags with their evidence and the coordinator's notes are for staff: managers see
    every scheme's, coordinators their schemes'. Mentors see prompts instead
    (``mentor_prompts_for``), never the flags themselves."""
    roles = user_roles(user)
    if roles.is_manager:
        return Flag.objects.all()
    return Flag.objects.filter(scheme_id__in=roles.coordinator_scheme_ids)


def flag_for_write(user: User, pk: int) -> Flag:
    """A flag ``user`` may acknowledge or resolve: 404 outside their scope (as for a flag that
    does not exist), 403 for a manager, who reads every flag but acts on none."""
    flag = get_object_or_404(flag_visible_to(user), pk=pk)
    require_coordinator_of(user, flag.scheme_id)
    return flag


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


class Health(TextChoices):
    """A relationship's health at a glance. Each relationship has exactly one, taken in this
    order: paused, then stalling, then dependency risk, then review due, else on track."""

    ON_TRACK = "on_track", "On track"
    STALLING = "stalling", "Stalling"
    DEPENDENCY = "dependency", "Dependency risk"
    REVIEW_DUE = "review_due", "Review due"
    PAUSED = "paused", "Paused"


REVIEW_DUE_DAYS = 7  # "review due" means due within a week, or overdue


def relationships_with_health(
    relationships: QuerySet[Relationship], *, today: datetime.date
) -> QuerySet[Relationship]:
    """Annotate ``health`` (a ``Health`` value) on open relationships, in the same query."""
    live = Flag.objects.filter(relationship=OuterRef("pk"), status__in=Flag.LIVE_STATUSES)
    return relationships.exclude(status=Relationship.Status.CLOSED).annotate(
        health=Case(
            When(status=Relationship.Status.PAUSED, then=Value(Health.PAUSED)),
            When(Exists(live.exclude(kind__in=DEPENDENCY_KINDS)), then=Value(Health.STALLING)),
            When(Exists(live.filter(kind__in=DEPENDENCY_KINDS)), then=Value(Health.DEPENDENCY)),
            When(
                next_review_on__lte=today + datetime.timedelta(days=REVIEW_DUE_DAYS),
                then=Value(Health.REVIEW_DUE),
            ),
            default=Value(Health.ON_TRACK),
            output_field=CharField(),
        )
    )


def mentor_prompts_for(relationship_ids: list[int]) -> dict[int, list[str]]:
    """What the mentor sees of their relationships' live flags: a gentle prompt per flag,
    written for them, in one query. Never the evidence or the coordinator's notes."""
    prompts: dict[int, list[str]] = {}
    kinds = Flag.objects.filter(
        relationship_id__in=relationship_ids, status__in=Flag.LIVE_STATUSES
    ).order_by("-severity", "raised_at", "pk")
    for relationship_id, kind, figures in kinds.values_list("relationship_id", "kind", "figures"):
        if (prompt := mentor_prompt(kind, figures)) is not None:
            prompts.setdefault(relationship_id, []).append(prompt)
    return prompts
