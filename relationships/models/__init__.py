"""The match and its life: meetings, goal plans, reviews, pauses and closure.

A mentor sees a mentee only through a relationship that is not closed, so ``Relationship`` is
the mentor's whole scope. Everything the watcher reads lives here, stored so that it can be
read set-wise: pauses as periods, reviews with their scores and a snapshot of who owned the
steps, meetings with who started them and what they were for.

The models live by topic (``relationship``, ``plans``, ``meetings``, with the shared
``choices``); every class is imported here, so Django finds them all and
``from relationships.models import X`` keeps working.
"""

from relationships.models.choices import Driving, FirstMeeting, Party, PrimaryGood
from relationships.models.meetings import Meeting
from relationships.models.offers import DeclineReason, MatchOffer
from relationships.models.planned import PlannedMeeting
from relationships.models.plans import (
    GOAL_PROPOSERS,
    STEP_OWNERS,
    Goal,
    GoalScore,
    Review,
    Step,
)
from relationships.models.relationship import Pause, Relationship, RelationshipChange

__all__ = [
    "GOAL_PROPOSERS",
    "STEP_OWNERS",
    "DeclineReason",
    "Driving",
    "FirstMeeting",
    "Goal",
    "GoalScore",
    "MatchOffer",
    "Meeting",
    "Party",
    "Pause",
    "PlannedMeeting",
    "PrimaryGood",
    "Relationship",
    "RelationshipChange",
    "Review",
    "Step",
]
