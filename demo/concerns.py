"""Concerns for the demo, one in every state: waiting to be acknowledged, acknowledged with
actions, closed with an outcome, and one nobody acknowledged in time, escalated to the
managers. Each goes through the app's own services (raise, acknowledge, action, close,
escalate), run as of the moment each step happened (demo/clock.py), so its dates, audit
events and notifications are the ones the app writes, and agree with each other.

A mentor raises a concern after a meeting they held: a little after it ended, on that
meeting. Where no mentor with a login held a meeting at the right time, the coordinator
raises it, in office hours, on no meeting. Acknowledging, acting and closing follow hours and
days later, as a coordinator's week would have them."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from concerns.models import ActionKind, Category, Concern, Outcome, Urgency
from concerns.services import (
    concern_acknowledge,
    concern_action_add,
    concern_close,
    concern_escalate,
    concern_raise,
)
from demo.clock import as_of
from relationships.models import Meeting, Relationship

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
#: How long after a meeting ends its mentor raises a concern from it (logging the meeting).
AFTER_MEETING = datetime.timedelta(minutes=40)
#: How often the worker looks for concerns past their time (CONCERN_ESCALATION_SECONDS).
SWEEP = datetime.timedelta(minutes=5)


@dataclass(frozen=True)
class Story:
    state: str
    category: str
    words: str
    #: How long before the seed it may have been raised: (at least, at most).
    raised_ago: tuple[datetime.timedelta, datetime.timedelta]


def stories(*, shortest: int, longest: int) -> list[Story]:
    """The four concerns, oldest first. The waiting one is younger than any scheme's time to
    acknowledge (in hours), and the late one older than all, with time for the worker to have
    escalated it."""
    due, late = datetime.timedelta(hours=shortest), datetime.timedelta(hours=longest)
    return [
        Story("closed", Category.SAFEGUARDING_MENTEE,
              "Said people he owes money to have been at his door twice.", (10 * DAY, 16 * DAY)),
        Story("acted on", Category.RISK_TO_OTHERS,
              "Talked about getting back at his ex-partner's new boyfriend.", (2 * DAY, 5 * DAY)),
        Story("late", Category.RISK_TO_MENTOR,
              "A friend of his followed us to the bus stop after we met.",
              (late + 6 * HOUR, late + 3 * DAY)),
        Story("waiting", Category.SAFEGUARDING_MENTEE,
              "Has not eaten properly for days; the gas is cut off.",
              (HOUR, max(2 * HOUR, due - 4 * HOUR))),
    ]  # fmt: skip


@dataclass
class ConcernSeeder:
    """A few concerns on the first open relationships, the demo mentor's first."""

    coordinator_for: dict[int, User]
    demo_mentor_email: str

    def write(self) -> dict[str, int]:
        self.now = timezone.now()
        relationships = list(
            Relationship.objects.filter(status=Relationship.Status.ACTIVE)
            .select_related("mentee__scheme", "mentor__user")
            .order_by("pk")[:200]
        )
        relationships.sort(
            key=lambda r: not (r.mentor.user and r.mentor.user.email == self.demo_mentor_email)
        )
        if len(relationships) < 4:
            return {"concerns": 0}
        hours = {r.mentee.scheme.concern_acknowledge_hours for r in relationships}
        for story in stories(shortest=min(hours), longest=max(hours)):
            relationship, meeting, raised_at = self._where_and_when(story, relationships)
            relationships.remove(relationship)
            concern = self._raise(relationship, meeting, story, raised_at)
            self._follow(concern, story.state)
        return {"concerns": 4}

    def _coordinator(self, concern: Concern) -> User:
        return self.coordinator_for[concern.scheme_id]

    def _where_and_when(
        self, story: Story, relationships: list[Relationship]
    ) -> tuple[Relationship, Meeting | None, datetime.datetime]:
        """The first relationship whose mentor (with a login) held a meeting they could have
        raised it after, within the story's time; else the first, raised by its coordinator
        in office hours on a day its relationship had already begun."""
        latest, earliest = (self.now - ago for ago in story.raised_ago)
        for relationship in relationships:
            if relationship.mentor.user is None:
                continue
            for meeting in Meeting.objects.filter(
                relationship=relationship, outcome=Meeting.Outcome.MET, concern__isnull=True,
                held_at__gte=earliest - DAY, held_at__lte=latest,
            ).order_by("-held_at"):  # fmt: skip
                raised_at = _ended(meeting) + AFTER_MEETING
                if earliest <= raised_at <= latest:
                    return relationship, meeting, raised_at
        for relationship in relationships:
            raised_at = _office_hours(earliest, latest)
            if relationship.meetings.filter(held_at__lt=raised_at).exists():
                return relationship, None, raised_at
        return relationships[0], None, latest

    def _raise(
        self,
        relationship: Relationship,
        meeting: Meeting | None,
        story: Story,
        raised_at: datetime.datetime,
    ) -> Concern:
        """Raised by the mentor on their meeting, or by the coordinator on none."""
        by = relationship.mentor.user if meeting else None
        with as_of(raised_at):
            return concern_raise(
                by=by or self.coordinator_for[relationship.mentee.scheme_id],
                mentee=relationship.mentee,
                relationship=relationship,
                meeting=meeting,
                category=story.category,
                urgency=(
                    Urgency.TODAY if story.category == Category.RISK_TO_OTHERS else Urgency.ROUTINE
                ),
                words=story.words,
            )

    def _follow(self, concern: Concern, state: str) -> None:
        """What happened next, each step hours or days after the one before."""
        if state == "waiting":
            return
        if state == "late":
            with as_of(concern.due_at + SWEEP):
                concern_escalate(concern_id=concern.pk, now=concern.due_at + SWEEP)
            return
        by = self._coordinator(concern)
        raised = concern.raised_at
        with as_of(raised + 2 * HOUR):
            concern_acknowledge(by=by, concern=concern)
        with as_of(raised + 3 * HOUR) as at:
            concern_action_add(
                by=by, concern=concern, kind=ActionKind.CALLED_MENTEE,
                taken_on=timezone.localdate(at),
                note="He is at his sister's for now and will call if they come back.",
            )  # fmt: skip
        with as_of(raised + DAY) as at:
            concern_action_add(
                by=by, concern=concern, kind=ActionKind.INFORMED_PROBATION,
                taken_on=timezone.localdate(at),
                note="His probation officer will raise it at Thursday's appointment.",
            )  # fmt: skip
        if state == "closed":
            with as_of(raised + 5 * DAY):
                concern_close(
                    by=by,
                    concern=concern,
                    outcome=Outcome.REFERRED,
                    note="Housing found him a room away from the area; his mentor agrees "
                    "it helped.",
                )


def _ended(meeting: Meeting) -> datetime.datetime:
    return meeting.held_at + datetime.timedelta(minutes=meeting.duration_minutes)


def _office_hours(earliest: datetime.datetime, latest: datetime.datetime) -> datetime.datetime:
    """Half past ten on the last day the window allows it, or the window's end."""
    day = timezone.localtime(latest).date()
    while True:
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))
        if at < earliest:
            return latest
        if at <= latest:
            return at
        day -= DAY
