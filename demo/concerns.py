"""Concerns for the demo, one in every state: waiting to be acknowledged, acknowledged with
actions, closed with an outcome, and one nobody acknowledged in time, escalated to the
managers. Each goes through the app's own services (raise, acknowledge, action, close,
escalate), so its audit events and notifications are the ones the app writes; then its
dates are moved back together, so the demo shows concerns of the past weeks rather than of
the moment it was seeded."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from concerns.models import ActionKind, Category, Concern, ConcernAction, Outcome, Urgency
from concerns.services import (
    concern_acknowledge,
    concern_action_add,
    concern_close,
    concern_escalate,
    concern_raise,
)
from relationships.models import Meeting, Relationship

STORIES = [
    (Category.SAFEGUARDING_MENTEE, "Said people he owes money to have been at his door twice."),
    (Category.RISK_TO_OTHERS, "Talked about getting back at his ex-partner's new boyfriend."),
    (Category.RISK_TO_MENTOR, "A friend of his followed us to the bus stop after we met."),
    (Category.SAFEGUARDING_MENTEE, "Has not eaten properly for days; the gas is cut off."),
]


@dataclass
class ConcernSeeder:
    """A few concerns on the first open relationships, the demo mentor's first."""

    today: datetime.date
    coordinator_for: dict[int, User]
    demo_mentor_email: str

    def write(self) -> dict[str, int]:
        relationships = list(
            Relationship.objects.filter(status=Relationship.Status.ACTIVE)
            .select_related("mentee__scheme", "mentor__user")
            .order_by("pk")[:200]
        )
        relationships.sort(
            key=lambda r: not (r.mentor.user and r.mentor.user.email == self.demo_mentor_email)
        )
        concerns = [
            self._raise(relationship, STORIES[i])
            for i, relationship in enumerate(relationships[:4])
        ]
        if len(concerns) < 4:
            return {"concerns": len(concerns)}
        waiting, acted_on, closed, late = concerns
        self._act(acted_on)
        self._act(closed)
        concern_close(
            by=self._coordinator(closed),
            concern=closed,
            outcome=Outcome.REFERRED,
            note="Housing found him a room away from the area; his mentor agrees it helped.",
        )
        self._back(closed, days=12)
        self._back(acted_on, days=3)
        self._back(waiting, hours=2)
        hours = late.scheme.concern_acknowledge_hours
        self._back(late, hours=hours + 5)
        concern_escalate(concern_id=late.pk)
        return {"concerns": len(concerns)}

    def _coordinator(self, concern: Concern) -> User:
        return self.coordinator_for[concern.scheme_id]

    def _raise(self, relationship: Relationship, story: tuple[str, str]) -> Concern:
        """Raised by the mentor on their latest meeting, or by the coordinator if the mentor
        has no login."""
        category, words = story
        mentor = relationship.mentor.user
        meeting = (
            Meeting.objects.filter(relationship=relationship, concern__isnull=True)
            .order_by("-held_at")
            .first()
        )
        return concern_raise(
            by=mentor or self.coordinator_for[relationship.mentee.scheme_id],
            mentee=relationship.mentee,
            relationship=relationship,
            meeting=meeting if mentor else None,
            category=category,
            urgency=Urgency.TODAY if category == Category.RISK_TO_OTHERS else Urgency.ROUTINE,
            words=words,
        )

    def _act(self, concern: Concern) -> None:
        by = self._coordinator(concern)
        concern_acknowledge(by=by, concern=concern)
        concern_action_add(
            by=by, concern=concern, kind=ActionKind.CALLED_MENTEE, taken_on=self.today,
            note="He is at his sister's for now and will call if they come back.",
        )  # fmt: skip
        concern_action_add(
            by=by, concern=concern, kind=ActionKind.INFORMED_PROBATION, taken_on=self.today,
            note="His probation officer will raise it at Thursday's appointment.",
        )  # fmt: skip

    def _back(self, concern: Concern, *, days: int = 0, hours: int = 0) -> None:
        """Move every date of the concern and its actions back by the same time."""
        shift = datetime.timedelta(days=days, hours=hours)
        concern.refresh_from_db()
        moved = {
            name: getattr(concern, name) - shift
            for name in ("raised_at", "due_at", "acknowledged_at", "closed_at")
            if getattr(concern, name) is not None
        }
        Concern.objects.filter(pk=concern.pk).update(**moved)
        for action in ConcernAction.objects.filter(concern=concern):
            action.taken_on = timezone.localtime(timezone.now() - shift).date()
            action.save(update_fields=["taken_on"])
        concern.refresh_from_db()
