"""What happens to each demo relationship, decided before any row exists: its state, its
dates and its *pattern*, the shape of its meetings that a coordinator and the watcher have
to spot:

- ``healthy``: regular held meetings, a growing share started by the mentee, mixed purposes,
  scores rising at each review, the ending planned;
- ``never_met``: matched weeks ago, no meeting held (a missed one or two at most);
- ``brief``: met once or twice, then missed meetings or silence: what most relationships
  that start at all come to, as the research found;
- ``short``: met three to eight times over a few months, then stopped;
- ``fading``: gaps between contacts grow until it falls silent, reviews stop;
- ``missed``: it went well, then a run of did-not-attend and cancellations;
- ``mentor_driven``: the mentor starts nearly every contact, much of it help done *for* the
  mentee, the mentor calls it shared while the mentee calls it mentor-led, and the share of
  steps owned by the mentee falls;
- ``too_long``: every goal achieved months ago, meetings carrying on past the scheme's cap,
  no ending agreed;
- ``new``: matched in the last fortnight, first meeting still to come.
"""

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from relationships.models import Pause, Relationship
from schemes.models import Mentor

RS = Relationship.Status
DAY = datetime.timedelta(days=1)

HEALTHY = "healthy"
NEVER_MET = "never_met"
FADING = "fading"
MISSED = "missed"
MENTOR_DRIVEN = "mentor_driven"
TOO_LONG = "too_long"
NEW = "new"
BRIEF = "brief"
SHORT = "short"
PATTERNS = [HEALTHY, NEVER_MET, FADING, MISSED, MENTOR_DRIVEN, TOO_LONG, NEW, BRIEF, SHORT]

#: How an active relationship is going, by share.
ACTIVE_PATTERNS = [(HEALTHY, 40), (FADING, 14), (MISSED, 10), (MENTOR_DRIVEN, 22), (TOO_LONG, 14)]
PLANNED_REASONS = [
    (Relationship.ClosureReason.GOALS_ACHIEVED, 70),
    (Relationship.ClosureReason.SCHEME_RULES, 20),
    (Relationship.ClosureReason.MOVED_AWAY, 10),
]
#: Why a relationship that met once or twice stopped.
BRIEF_REASONS = [
    (Relationship.ClosureReason.LOST_CONTACT, 50),
    (Relationship.ClosureReason.MENTEE_WITHDREW, 25),
    (Relationship.ClosureReason.CUSTODY, 15),
    (Relationship.ClosureReason.MOVED_AWAY, 10),
]
UNPLANNED_REASONS = [
    (Relationship.ClosureReason.LOST_CONTACT, 40),
    (Relationship.ClosureReason.MENTEE_WITHDREW, 20),
    (Relationship.ClosureReason.CUSTODY, 15),
    (Relationship.ClosureReason.MOVED_AWAY, 10),
    (Relationship.ClosureReason.MENTOR_LEFT, 10),
    (Relationship.ClosureReason.OTHER, 5),
]
PAUSE_REASONS = [
    (Pause.Reason.CUSTODY, 40),
    (Pause.Reason.HOSPITAL, 25),
    (Pause.Reason.MENTOR_BREAK, 25),
    (Pause.Reason.OTHER, 10),
]

T = TypeVar("T")


def pick(rng: random.Random, shares: Sequence[tuple[T, int]]) -> T:
    """One value, drawn with the weights given beside each."""
    return rng.choices([v for v, _ in shares], [w for _, w in shares])[0]


@dataclass
class Life:
    """What will happen to one relationship, decided before any row exists."""

    #: The state it is in today (a relationship status), once its steps are taken.
    state: str
    pattern: str
    matched_on: datetime.date
    closed_on: datetime.date | None = None
    closure_type: str = ""
    closure_reason: str = ""
    paused_on: datetime.date | None = None
    pause_reason: str = ""
    past_pause: tuple[datetime.date, datetime.date] | None = None
    reopen: tuple[datetime.date, datetime.date] | None = None  # closed on, reopened on
    ending_on: datetime.date | None = None
    first_met: datetime.date | None = None  # filled in when the meetings are made


class LifePlanner:
    """Chooses each relationship's state, dates and pattern, within what its mentor allows."""

    def __init__(self, *, rng: random.Random, today: datetime.date) -> None:
        self.rng = rng
        self.today = today

    def plan(
        self,
        *,
        status: str,
        mentor: Mentor,
        pattern: str | None = None,
        closure_type: str | None = None,
        reopened: bool = False,
    ) -> Life:
        rng, today = self.rng, self.today
        # Only mentors who became active are matched (seed_demo picks them).
        assert mentor.first_active_on is not None  # noqa: S101 (see the comment above)
        if pattern is None:
            pattern = self._pattern(status)
        days_back = {
            NEW: (1, 13),
            NEVER_MET: (22, 90),
            BRIEF: (21, 50),  # an open one has only just started
            TOO_LONG: (240, 720),
            MENTOR_DRIVEN: (90, 720),
        }.get(pattern, (90, 720) if status in (RS.PAUSED, RS.ENDING) or reopened else (30, 720))
        if status == RS.CLOSED:
            days_back = (40, 900) if pattern not in (NEVER_MET, BRIEF) else (30, 720)
        matched_on = max(today - DAY * rng.randint(*days_back), mentor.first_active_on)
        if pattern == TOO_LONG and (today - matched_on).days < 200:
            pattern = MENTOR_DRIVEN if (today - matched_on).days >= 60 else HEALTHY
        if pattern == NEVER_MET and (today - matched_on).days < 22:
            pattern = NEW
        life = Life(state=status, pattern=pattern, matched_on=matched_on)
        span = (today - matched_on).days
        if status == RS.CLOSED:
            self._closure(life, mentor, closure_type)
        elif status == RS.PAUSED:
            life.paused_on = today - DAY * rng.randint(5, min(60, max(5, span // 2)))
            life.pause_reason = pick(rng, PAUSE_REASONS)
        elif status == RS.ENDING:
            life.ending_on = today - DAY * rng.randint(3, min(30, max(3, span // 3)))
        # Breaks in the past fall well inside the time the relationship has run so far.
        span = ((life.closed_on or life.paused_on or life.ending_on or today) - matched_on).days
        if reopened and span > 60:
            closed = matched_on + DAY * (span // 3)
            life.reopen = (closed, closed + DAY * rng.randint(10, 25))
        elif life.pattern == HEALTHY and span > 150 and rng.random() < 0.12:
            start = matched_on + DAY * (span // 2)
            life.past_pause = (start, start + DAY * rng.randint(14, 40))
        return life

    def _closure(self, life: Life, mentor: Mentor, closure_type: str | None) -> None:
        """When and why a closed relationship ended, and the pattern that fits it."""
        rng, pattern, matched_on = self.rng, life.pattern, life.matched_on
        planned = closure_type == "planned" if closure_type else rng.random() < 0.45
        if pattern in (NEVER_MET, BRIEF, SHORT):
            planned = False
        length = rng.randint(90, 540) if planned else rng.randint(14, 360)
        if pattern == BRIEF:  # met once or twice in the first weeks, then stopped
            length = rng.randint(30, 90)
        if pattern == SHORT:  # room for three to eight meetings a week or two apart
            length = rng.randint(100, 150)
        closed_on = min(self.today - DAY, matched_on + DAY * length)
        if mentor.status == Mentor.Status.LEFT:  # ended by the day they left
            closed_on = min(closed_on, mentor.status_since)
            planned = False
        life.closed_on = max(closed_on, matched_on)
        life.closure_type = "planned" if planned else "unplanned"
        if mentor.status == Mentor.Status.LEFT:
            life.closure_reason = Relationship.ClosureReason.MENTOR_LEFT
        elif pattern == NEVER_MET:
            life.closure_reason = Relationship.ClosureReason.LOST_CONTACT
        elif pattern == BRIEF:
            life.closure_reason = pick(rng, BRIEF_REASONS)
        else:
            life.closure_reason = pick(rng, PLANNED_REASONS if planned else UNPLANNED_REASONS)
        if pattern == BRIEF:
            return
        if not planned and life.closure_reason == Relationship.ClosureReason.LOST_CONTACT:
            life.pattern = FADING if pattern != NEVER_MET else NEVER_MET
        elif pattern != NEVER_MET:
            life.pattern = HEALTHY

    def _pattern(self, status: str) -> str:
        if status == RS.INTRODUCED:
            return NEW if self.rng.random() < 0.3 else NEVER_MET
        if status == RS.ACTIVE:
            return pick(self.rng, ACTIVE_PATTERNS)
        if status == RS.CLOSED:
            return NEVER_MET if self.rng.random() < 0.25 else HEALTHY
        return HEALTHY
