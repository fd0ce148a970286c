"""The sweep's reads of planned meetings: what is arranged and what still waits for an answer.

Kept apart from ``flags.fact_queries`` (which calls it) so that module stays one screenful per
kind of fact. One query over every open relationship in scope, whatever their number.
"""

import datetime

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from flags.rules.facts import RelationshipFacts
from relationships.models import PlannedMeeting


def add_waiting_plans(
    facts: dict[int, RelationshipFacts], plans: QuerySet[PlannedMeeting], today: datetime.date
) -> None:
    """The planned meetings still waiting, in one query: the soonest on ``today`` or later,
    and, of those whose day has passed with no answer, the latest, the oldest and how many.

    An answered plan is left out: its outcome is a logged meeting (linked as
    ``plan.meeting``: held, or not held and logged with that outcome), read with the other
    meetings, so no rule counts a plan and its meeting twice. A plan cancelled ahead of time
    is left out too: nothing was arranged any more."""
    past = Q(starts_at__date__lt=today)
    rows = (
        plans.filter(status=PlannedMeeting.Status.PLANNED, meeting__isnull=True)
        .values("relationship_id")
        .annotate(
            next_at=Min("starts_at", filter=~past),
            last_past_at=Max("starts_at", filter=past),
            oldest_past_at=Min("starts_at", filter=past),
            past_count=Count("pk", filter=past),
        )
        .order_by()
    )
    for row in rows:
        if (r := facts.get(row["relationship_id"])) is not None:
            r.next_plan_on = _local_day(row["next_at"]) if row["next_at"] else None
            if row["past_count"]:
                r.last_unanswered_plan_on = _local_day(row["last_past_at"])
                r.oldest_unanswered_plan_on = _local_day(row["oldest_past_at"])
                r.unanswered_plans = row["past_count"]


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()
