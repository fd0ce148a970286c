"""What the watcher's rules read and return: plain facts, a scheme's thresholds, a finding.

``flags.fact_queries`` fills these from the database; the rules in this package only read
them, so a test can build them by hand.
"""

import datetime
from dataclasses import dataclass, field

from flags.models import Kind, Severity

# Values of the relationships app's choices, as the facts carry them.
DID_NOT_ATTEND = "did_not_attend"
MENTOR = "mentor"
HELP_FOR = "help_for"
#: Imported history whose records do not say what a meeting was for: neither help done for
#: the mentee nor anything else, so left out of every share of purposes.
NOT_RECORDED = "not_recorded"
MENTOR_LED = "mentor_led"
PAUSED = "paused"
ENDING = "ending"
#: The top of the goal-score scale (``GoalScore.score`` runs 1 to 10).
TOP_SCORE = 10

WINDOW_CONTACTS = 8  # mentor driving: the last eight contacts held
WINDOW_ARRANGED = 5  # missed meetings: the last five arranged
WINDOW_HELD = 6  # doing things for: the last six meetings held
WINDOW_GAPS = 4  # growing gaps: the last four meetings held give three gaps
#: How many meetings held the facts carry: enough for every window above that reads them.
HELD_WINDOW = max(WINDOW_CONTACTS, WINDOW_HELD, WINDOW_GAPS)
RISING_WEEKS = 4  # contact rising: the last four weeks against the four before


@dataclass(frozen=True)
class Thresholds:
    """A scheme's rules for the watcher (see ``schemes.models.Scheme``)."""

    expected_contact_days: int = 7
    review_interval_weeks: int = 6
    cap_meetings: int | None = None
    cap_weeks: int | None = None
    no_first_meeting_days: int = 14
    no_contact_after_release_days: int = 7
    review_overdue_days: int = 14
    waiting_for_match_days: int = 21
    no_contact_attempt_days: int = 10
    missed_meetings: int = 3
    mentor_led_percent: int = 80
    done_for_percent: int = 50
    too_long_weeks: int = 4
    plan_outcome_days: int = 3


@dataclass(frozen=True)
class Contact:
    """A logged meeting, held or not."""

    on: datetime.date
    outcome: str
    initiated_by: str
    purpose: str


@dataclass(frozen=True)
class ReviewFacts:
    held_on: datetime.date
    mentee_driving: str
    mentor_driving: str
    steps_total: int
    steps_owned_by_mentee: int
    scores: dict[str, float]  # domain → mean score at this review


@dataclass
class RelationshipFacts:
    """What the watcher knows about one open relationship."""

    id: int
    status: str
    matched_on: datetime.date
    thresholds: Thresholds
    next_review_on: datetime.date | None = None
    released_on: datetime.date | None = None
    exit_plan: str = ""
    planned_end_on: datetime.date | None = None
    # Newest first: the last WINDOW_CONTACTS contacts of any outcome, and the last
    # HELD_WINDOW meetings held (each one's day, purpose and who started it).
    recent: list[Contact] = field(default_factory=list)
    recent_held: list[datetime.date] = field(default_factory=list)
    recent_held_purposes: list[str] = field(default_factory=list)
    recent_held_initiated_by: list[str] = field(default_factory=list)
    held_count: int = 0
    last_contact_on: datetime.date | None = None  # any contact held, of any mode
    cap_reached_on: datetime.date | None = None  # the day the cap_meetings-th meeting was held
    held_recent_weeks: int = 0  # meetings held in the last RISING_WEEKS weeks
    held_weeks_before: int = 0  # … and in the RISING_WEEKS weeks before those
    goals_total: int = 0
    goals_open: int = 0
    goals_achieved: int = 0
    last_goal_achieved_on: datetime.date | None = None
    # Planned meetings still waiting (``PlanStatus.PLANNED``, no meeting linked). An answered
    # plan is read only as its logged meeting (in ``recent`` and the counts above), never here.
    next_plan_on: datetime.date | None = None  # the soonest waiting plan, today or later
    last_unanswered_plan_on: datetime.date | None = None  # the latest waiting one before today
    oldest_unanswered_plan_on: datetime.date | None = None  # the oldest waiting one before today
    unanswered_plans: int = 0  # waiting plans whose day is before today
    reviews: list[ReviewFacts] = field(default_factory=list)  # newest first, at most two
    pauses: list[tuple[datetime.date, datetime.date | None]] = field(default_factory=list)
    #: The watcher reads nothing before this day (imported history: ``flags.rules.watch``).
    watched_from: datetime.date | None = None

    def paused_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Days in [start, end) on which the relationship was paused."""
        total = 0
        for began, ended in self.pauses:
            lo, hi = max(began, start), min(ended or end, end)
            total += max(0, (hi - lo).days)
        return total


@dataclass(frozen=True)
class ReferralFacts:
    id: int
    status: str
    referred_on: datetime.date
    waiting_since: datetime.date | None
    last_attempt_on: datetime.date | None
    thresholds: Thresholds
    # The deadline of the person's latest offer of a match, while that offer is still
    # unanswered (pending, or lapsed with no newer offer); None otherwise.
    offer_due_on: datetime.date | None = None
    #: The watcher reads nothing before this day (imported history: ``flags.rules.watch``).
    watched_from: datetime.date | None = None


@dataclass(frozen=True)
class Finding:
    kind: Kind
    target_id: int
    evidence: str
    figures: dict[str, object] = field(default_factory=dict)

    @property
    def severity(self) -> Severity:
        return SEVERITY[self.kind]


SEVERITY: dict[str, Severity] = {
    Kind.NO_CONTACT_AFTER_RELEASE: Severity.HIGH,
    Kind.NO_FIRST_MEETING: Severity.HIGH,
    Kind.SILENCE: Severity.HIGH,
    Kind.MISSED_MEETINGS: Severity.MEDIUM,
    Kind.PLAN_OUTCOME_NOT_RECORDED: Severity.LOW,
    Kind.GAPS_GROWING: Severity.MEDIUM,
    Kind.REVIEW_OVERDUE: Severity.MEDIUM,
    Kind.WAITING_FOR_MATCH: Severity.MEDIUM,
    Kind.NO_CONTACT_ATTEMPT: Severity.MEDIUM,
    Kind.OFFER_NOT_ANSWERED: Severity.MEDIUM,
    Kind.MENTOR_DRIVING: Severity.MEDIUM,
    Kind.DONE_FOR: Severity.MEDIUM,
    Kind.TOO_LONG: Severity.MEDIUM,
    Kind.SCORES_FLAT: Severity.LOW,
    Kind.CONTACT_RISING: Severity.LOW,
    Kind.MENTEE_STEPS_FALLING: Severity.LOW,
    Kind.DRIVING_GAP: Severity.LOW,
}
