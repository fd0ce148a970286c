"""Reads for the mentor's phone: their home list and the meeting timeline, each in a fixed
number of queries however long the history."""

import datetime
import uuid
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Window
from django.utils import timezone

from accounts.models import User
from relationships.models import Goal, Meeting, PlannedMeeting, Relationship, Step
from relationships.selectors import relationships_for_list

#: The relationship page shows this many meetings, so that on a phone the reviews and the
#: chart below them are a short scroll away; the rest are a page of their own.
TIMELINE_LIMIT = 5
#: The page of all meetings shows this many at a time.
MEETINGS_PER_PAGE = 50
#: The relationship page shows this many answered plans, the latest first.
ANSWERED_PLANS_SHOWN = 3
#: What a mentor's card shows of the next plan, each read by a subquery of the card's query.
PLAN_SHOWN = ("pk", "starts_at", "mode", "place")


@dataclass
class MentorHomeCard:
    """One relationship on the mentor's home and what they need before the next meeting:
    the next open step of the active goal plan, when they last actually met, and the
    watcher's prompts (which the page adds), each with where to act on it ("" for nowhere)."""

    relationship: Relationship
    next_step: Step | None
    last_met_at: datetime.datetime | None
    prompts: list[tuple[str, str]] = field(default_factory=list)
    next_plan: PlannedMeeting | None = None


def mentor_home(relationships: QuerySet[Relationship]) -> list[MentorHomeCard]:
    """A card for each relationship: the next open step of the active goal plan (earliest
    due first, undated last), when they last actually met and the next planned meeting still
    to come. Three queries in all."""
    open_steps = Step.objects.filter(
        goal__relationship=OuterRef("pk"),
        goal__status=Goal.Status.ACTIVE,
        status=Step.Status.TO_DO,
    ).order_by(F("due_on").asc(nulls_last=True), "pk")
    last_met = Meeting.objects.filter(
        relationship=OuterRef("pk"), outcome=Meeting.Outcome.MET
    ).order_by("-held_at")
    next_plan = PlannedMeeting.objects.filter(
        relationship=OuterRef("pk"),
        status=PlannedMeeting.Status.PLANNED,
        starts_at__gte=timezone.now(),
    ).order_by("starts_at", "pk")
    rows = list(
        relationships_for_list(relationships)
        .select_related("mentor__user")
        .annotate(
            next_step_id=Subquery(open_steps.values("pk")[:1]),
            last_met_at=Subquery(last_met.values("held_at")[:1]),
            **{f"next_plan_{name}": Subquery(next_plan.values(name)[:1]) for name in PLAN_SHOWN},
        )
        .order_by(F("next_review_on").asc(nulls_last=True), "mentee__given_name")
    )
    steps = Step.objects.in_bulk([r.next_step_id for r in rows if r.next_step_id])
    return [
        MentorHomeCard(r, steps.get(r.next_step_id), r.last_met_at, next_plan=_next_plan(r))
        for r in rows
    ]


def _next_plan(row: Relationship) -> PlannedMeeting | None:
    """The next plan's shown fields, as an unsaved-looking plan (its labels work)."""
    values = {name: getattr(row, f"next_plan_{name}") for name in PLAN_SHOWN}
    if values["pk"] is None:
        return None
    return PlannedMeeting(relationship_id=row.pk, **values)


@dataclass
class RelationshipPlans:
    """The plans the relationship page shows: every plan still waiting (to happen, or for its
    answer once the time has passed), and the latest answered ones."""

    waiting: list[PlannedMeeting]
    answered: list[PlannedMeeting]
    now: datetime.datetime


def plans_for_page(relationship: Relationship) -> RelationshipPlans:
    """The relationship's waiting plans, soonest first, and its latest answered plans, with
    who answered each. Two queries, however many plans."""
    plans = relationship.planned_meetings.select_related("answered_by", "moved_by")
    return RelationshipPlans(
        waiting=list(plans.filter(status=PlannedMeeting.Status.PLANNED).order_by("starts_at")),
        answered=list(
            plans.exclude(status=PlannedMeeting.Status.PLANNED).order_by("-answered_at", "-pk")[
                :ANSWERED_PLANS_SHOWN
            ]
        ),
        now=timezone.now(),
    )


def meetings_for_timeline(
    meetings: QuerySet[Meeting], limit: int = TIMELINE_LIMIT
) -> tuple[list[Meeting], int]:
    """The newest ``limit`` meetings of a ``meetings_visible_to`` queryset, and how many
    there are in all. Who logged each, and the total (a window count), come in the same
    query, with the concern raised on each (if any)."""
    annotated = meetings.select_related("logged_by", "concern").annotate(total=Window(Count("pk")))
    rows = list(annotated[:limit])
    latest: list[Meeting] = [*rows]
    return latest, int(rows[0].total) if rows else 0


def meeting_already_logged(*, by: User, relationship_id: int, client_id: str) -> Meeting | None:
    """The meeting ``by`` already logged on relationship ``relationship_id`` from the form
    ``client_id``, if any: a form sent again (by the phone's outbox, or a double tap) is
    answered "logged" even if the relationship has closed or a ticked goal ended since.

    Scoped to the one who logged it and to the relationship in the address, so it tells
    nobody anything they did not send themselves: anyone else's form goes the usual way."""
    try:
        key = uuid.UUID(client_id)
    except (TypeError, ValueError):
        return None
    return Meeting.objects.filter(
        client_id=key, relationship_id=relationship_id, logged_by=by
    ).first()
