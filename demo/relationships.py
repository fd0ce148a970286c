"""Synthetic relationship histories for ``seed_demo``: meetings, goals, steps, reviews and
pauses, with the patterns a coordinator and the watcher have to spot.

Each relationship follows one *pattern*:

- ``healthy``: regular held meetings, a growing share started by the mentee, mixed purposes,
  scores rising at each review, the ending planned;
- ``never_met``: matched weeks ago, no meeting held (a missed one or two at most);
- ``fading``: gaps between contacts grow until it falls silent, reviews stop;
- ``missed``: it went well, then a run of did-not-attend and cancellations;
- ``mentor_driven``: the mentor starts nearly every contact, much of it help done *for* the
  mentee, the mentor calls it shared while the mentee calls it mentor-led, and the share of
  steps owned by the mentee falls;
- ``too_long``: every goal achieved months ago, meetings carrying on past the scheme's cap,
  no ending agreed;
- ``new``: matched in the last fortnight, first meeting still to come.

The rows are what the services would have written: a dated ``RelationshipChange`` for every
state, ``Pause`` periods, ``next_review_on`` one interval after the last review due, and
a first held meeting that makes the match active. Meetings are streamed in chunks with ids
counted in advance, so a national seed of about a million meetings keeps memory flat.
"""

import datetime
import io
import random
import uuid
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection
from django.db.models import DateTimeField, Max, Model, UUIDField

from mentees.models import Mentee, NeedDomain, Situation
from relationships.models import (
    Driving,
    Goal,
    GoalScore,
    Meeting,
    Party,
    Pause,
    PrimaryGood,
    Relationship,
    RelationshipChange,
    Review,
    Step,
)
from schemes.models import Mentor, Scheme

RS = Relationship.Status
M = Meeting
BATCH = 5000
MEETING_CHUNK = 50_000
DAY = datetime.timedelta(days=1)

HEALTHY = "healthy"
NEVER_MET = "never_met"
FADING = "fading"
MISSED = "missed"
MENTOR_DRIVEN = "mentor_driven"
TOO_LONG = "too_long"
NEW = "new"
PATTERNS = [HEALTHY, NEVER_MET, FADING, MISSED, MENTOR_DRIVEN, TOO_LONG, NEW]

#: How an active relationship is going, by share.
ACTIVE_PATTERNS = [(HEALTHY, 40), (FADING, 14), (MISSED, 10), (MENTOR_DRIVEN, 22), (TOO_LONG, 14)]
PLANNED_REASONS = [
    (Relationship.ClosureReason.GOALS_ACHIEVED, 70),
    (Relationship.ClosureReason.SCHEME_RULES, 20),
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
GOOD_FOR = {
    NeedDomain.ACCOMMODATION: [PrimaryGood.INNER_PEACE, PrimaryGood.LIFE_HEALTH],
    NeedDomain.ETE: [PrimaryGood.EXCELLENCE, PrimaryGood.KNOWLEDGE, PrimaryGood.AGENCY],
    NeedDomain.FINANCE: [PrimaryGood.AGENCY, PrimaryGood.INNER_PEACE],
    NeedDomain.SUBSTANCE_USE: [PrimaryGood.LIFE_HEALTH, PrimaryGood.INNER_PEACE],
    NeedDomain.HEALTH: [PrimaryGood.LIFE_HEALTH],
    NeedDomain.FAMILY: [PrimaryGood.RELATEDNESS, PrimaryGood.COMMUNITY],
    NeedDomain.THINKING: [PrimaryGood.AGENCY, PrimaryGood.INNER_PEACE, PrimaryGood.CREATIVITY],
}
GOAL_TITLES = {
    NeedDomain.ACCOMMODATION: "Get my own place and keep it",
    NeedDomain.ETE: "Get on a course and find work",
    NeedDomain.FINANCE: "Sort out my benefits and debts",
    NeedDomain.SUBSTANCE_USE: "Stay off drink and drugs",
    NeedDomain.HEALTH: "Get a GP and look after my health",
    NeedDomain.FAMILY: "See my kids regularly again",
    NeedDomain.THINKING: "Keep my temper when things go wrong",
}
STEP_TEXTS = [
    "Ring the council housing team",
    "Fill in the application form",
    "Go to the appointment at the job centre",
    "Open a bank account",
    "Book a GP appointment",
    "Write a letter to the family court",
    "Look up courses at the college",
    "Go to the recovery group on Thursday",
]
# Meeting purposes by share, per pattern.
PURPOSES = {
    HEALTHY: [(M.Purpose.GOALS, 45), (M.Purpose.HELP_WITH, 22), (M.Purpose.SOCIAL, 18),
              (M.Purpose.HELP_FOR, 8), (M.Purpose.CRISIS, 7)],
    MENTOR_DRIVEN: [(M.Purpose.HELP_FOR, 55), (M.Purpose.SOCIAL, 15), (M.Purpose.GOALS, 15),
                    (M.Purpose.HELP_WITH, 10), (M.Purpose.CRISIS, 5)],
    TOO_LONG: [(M.Purpose.SOCIAL, 50), (M.Purpose.HELP_FOR, 25), (M.Purpose.HELP_WITH, 12),
               (M.Purpose.GOALS, 8), (M.Purpose.CRISIS, 5)],
}  # fmt: skip
MODES = [(M.Mode.FACE_TO_FACE, 45), (M.Mode.PHONE, 25), (M.Mode.MESSAGES, 22), (M.Mode.VIDEO, 8)]
DURATION = {
    M.Mode.FACE_TO_FACE: (40, 120),
    M.Mode.CUSTODY_VISIT: (45, 90),
    M.Mode.PRISON_GATE: (60, 180),
    M.Mode.PHONE: (10, 30),
    M.Mode.VIDEO: (20, 45),
    M.Mode.MESSAGES: (5, 15),
}
SHARED_NOTES = {
    M.Purpose.GOALS: "Went through the plan together; next steps agreed.",
    M.Purpose.HELP_WITH: "Helped fill in the form together.",
    M.Purpose.HELP_FOR: "Gave a lift to the appointment and rang the office for them.",
    M.Purpose.SOCIAL: "Coffee and a catch-up.",
    M.Purpose.CRISIS: "Rough week; talked it through and made a plan for the weekend.",
}
FINAL_REVIEWS = {
    "planned": "Goals reviewed together. Ending as planned, with a handover to community support.",
    "unplanned": "Ended without a final meeting; recorded from the coordinator's notes.",
}
ENDING_PLANS = {
    HEALTHY: "About three more months, tapering to fortnightly, then a handover to the hub.",
    MENTOR_DRIVEN: "Not discussed in detail yet; the mentor wants to keep going for now.",
    TOO_LONG: "No end date agreed; we'll keep meeting.",
    FADING: "Review the ending at the next meeting.",
    MISSED: "Review the ending at the next meeting.",
}


@dataclass
class Life:
    """What will happen to one relationship, decided before any row exists."""

    status: str
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


def _pick(rng: random.Random, shares: list[tuple[object, int]]) -> object:
    return rng.choices([v for v, _ in shares], [w for _, w in shares])[0]


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
        earliest = mentor.first_active_on
        if pattern is None:
            pattern = self._pattern(status)
        days_back = {
            NEW: (1, 13),
            NEVER_MET: (22, 90),
            TOO_LONG: (240, 720),
            MENTOR_DRIVEN: (90, 720),
        }.get(pattern, (90, 720) if status in (RS.PAUSED, RS.ENDING) or reopened else (30, 720))
        if status == RS.CLOSED:
            days_back = (40, 900) if pattern != NEVER_MET else (30, 720)
        matched_on = max(today - DAY * rng.randint(*days_back), earliest)
        if pattern == TOO_LONG and (today - matched_on).days < 200:
            pattern = MENTOR_DRIVEN if (today - matched_on).days >= 60 else HEALTHY
        if pattern == NEVER_MET and (today - matched_on).days < 22:
            pattern = NEW
        life = Life(status=status, pattern=pattern, matched_on=matched_on)
        span = (today - matched_on).days
        if status == RS.CLOSED:
            planned = closure_type == "planned" if closure_type else rng.random() < 0.45
            if pattern == NEVER_MET:
                planned = False
            length = rng.randint(90, 540) if planned else rng.randint(14, 360)
            closed_on = min(today - DAY, matched_on + DAY * length)
            if mentor.status == Mentor.Status.LEFT:  # ended by the day they left
                closed_on = min(closed_on, mentor.status_since)
                planned = False
            life.closed_on = max(closed_on, matched_on)
            life.closure_type = "planned" if planned else "unplanned"
            if mentor.status == Mentor.Status.LEFT:
                life.closure_reason = Relationship.ClosureReason.MENTOR_LEFT
            elif pattern == NEVER_MET:
                life.closure_reason = Relationship.ClosureReason.LOST_CONTACT
            else:
                life.closure_reason = _pick(rng, PLANNED_REASONS if planned else UNPLANNED_REASONS)
            if not planned and life.closure_reason == Relationship.ClosureReason.LOST_CONTACT:
                life.pattern = FADING if pattern != NEVER_MET else NEVER_MET
            elif pattern != NEVER_MET:
                life.pattern = HEALTHY
        elif status == RS.PAUSED:
            life.paused_on = today - DAY * rng.randint(5, min(60, max(5, span // 2)))
            life.pause_reason = _pick(
                rng, [(Pause.Reason.CUSTODY, 40), (Pause.Reason.HOSPITAL, 25),
                      (Pause.Reason.MENTOR_BREAK, 25), (Pause.Reason.OTHER, 10)]
            )  # fmt: skip
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

    def _pattern(self, status: str) -> str:
        if status == RS.INTRODUCED:
            return NEW if self.rng.random() < 0.3 else NEVER_MET
        if status == RS.ACTIVE:
            return _pick(self.rng, ACTIVE_PATTERNS)
        if status == RS.CLOSED:
            return NEVER_MET if self.rng.random() < 0.25 else HEALTHY
        return HEALTHY


@dataclass
class Rows:
    """Rows waiting to be written, flushed in order so foreign keys are always met."""

    changes: list[RelationshipChange] = field(default_factory=list)
    pauses: list[Pause] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    scores: list[GoalScore] = field(default_factory=list)
    meetings: list[tuple] = field(default_factory=list)  # MEETING_COLUMNS
    touched: list[tuple] = field(default_factory=list)  # (meeting id, goal id)


MEETING_COLUMNS = [
    "id", "relationship", "client_id", "held_at", "duration_minutes", "mode", "initiated_by",
    "outcome", "purpose", "note_shared", "note_private", "concern", "expenses", "logged_by",
    "created_at",
]  # fmt: skip


def _csv(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    return str(value)


def insert_rows(model: type[Model], columns: list[str], rows: list[tuple]) -> None:
    """Insert plain tuples fast: COPY on PostgreSQL, one executemany elsewhere.

    A million meetings through ``bulk_create`` cost minutes of Django preparing each value;
    COPY takes them as text in seconds. ``columns`` are field names, in the tuples' order.
    """
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in columns]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            for row in rows:
                buffer.write(",".join(map(_csv, row)))
                buffer.write("\n")
            buffer.seek(0)
            sql = f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv)"
            cursor.cursor.copy_expert(sql, buffer)
        else:
            # Only datetimes and UUIDs need adapting for SQLite; the rest go as they are.
            adapt = [
                connection.ops.adapt_datetimefield_value
                if isinstance(f, DateTimeField)
                else _uuid_hex
                if isinstance(f, UUIDField)
                else _same
                for f in fields
            ]
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 (model names)
                [tuple(a(v) for a, v in zip(adapt, row, strict=True)) for row in rows],
            )


def _uuid_hex(value: uuid.UUID) -> str:
    return value.hex


def _same(value: object) -> object:
    return value


def _next_id(model: type[Model]) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


class RelationshipLifeSeeder:
    """Writes relationships with their whole history, streaming meetings in chunks."""

    def __init__(self, *, seed: int, today: datetime.date) -> None:
        # Its own stream, so the people and mentors stay the same whatever is added here.
        self.rng = random.Random(f"relationship-lives-{seed}")
        self.today = today
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.now = datetime.datetime.now(tz=self.zone)
        self.rows = Rows()
        self.counts: dict[str, int] = {}
        self.ids = {model: _next_id(model) for model in (Relationship, Goal, Review, Meeting)}

    def _id(self, model: type[Model]) -> int:
        value = self.ids[model]
        self.ids[model] += 1
        return value

    def write(
        self,
        items: list[tuple[Mentee, Mentor, Life]],
        *,
        coordinator_for: dict[int, int],
        schemes: dict[int, Scheme],
    ) -> list[Relationship]:
        """Create every relationship and its history. ``coordinator_for`` maps a scheme id
        to the id of the user who matched and reviewed for it."""
        relationships = []
        for mentee, mentor, life in items:
            scheme = schemes[mentee.scheme_id]
            by = coordinator_for[mentee.scheme_id]
            relationship = Relationship(
                id=self._id(Relationship),
                mentee_id=mentee.pk,
                mentor_id=mentor.pk,
                status=life.status,
                matched_on=life.matched_on,
                matched_by_id=by,
                matched_in_custody=mentee.situation == Situation.IN_CUSTODY,
                closed_on=life.closed_on,
                closure_type=life.closure_type,
                closure_reason=life.closure_reason,
            )
            self._life(relationship, mentee, mentor, life, scheme, by)
            relationships.append(relationship)
            if len(self.rows.meetings) >= MEETING_CHUNK:
                self._flush_meetings()
        Relationship.objects.bulk_create(relationships, batch_size=BATCH)
        self._flush_meetings()
        rows = self.rows
        for name, model, objects in (
            ("relationship changes", RelationshipChange, rows.changes),
            ("pauses", Pause, rows.pauses),
            ("steps", Step, rows.steps),
            ("reviews", Review, rows.reviews),
            ("goal scores", GoalScore, rows.scores),
        ):
            model.objects.bulk_create(objects, batch_size=BATCH)
            self.counts[name] = len(objects)
        self._reset_sequences()
        return relationships

    def _flush_meetings(self) -> None:
        """Write the meetings made so far (and the goals they touch), then let them go."""
        rows = self.rows
        Goal.objects.bulk_create(rows.goals, batch_size=BATCH)
        insert_rows(Meeting, MEETING_COLUMNS, rows.meetings)
        insert_rows(Meeting.goals.through, ["meeting", "goal"], rows.touched)
        for name, objects in (
            ("goals", rows.goals),
            ("meetings", rows.meetings),
            ("meeting goal links", rows.touched),
        ):
            self.counts[name] = self.counts.get(name, 0) + len(objects)
        rows.goals, rows.meetings, rows.touched = [], [], []

    def _reset_sequences(self) -> None:
        """Ids were counted here, not by the database: move its counters past them."""
        models = [Relationship, Goal, Review, Meeting]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)

    # One relationship ---------------------------------------------------------------------

    def _life(
        self,
        relationship: Relationship,
        mentee: Mentee,
        mentor: Mentor,
        life: Life,
        scheme: Scheme,
        by: int,
    ) -> None:
        rng, today = self.rng, self.today
        interval = DAY * 7 * scheme.review_interval_weeks
        # Meetings stop at closure, at the pause, or yesterday.
        end = life.closed_on or life.paused_on or today - DAY
        if life.pattern == FADING and life.status != RS.CLOSED:
            end = today - DAY * rng.randint(24, 60)
        gaps = [g for g in (life.past_pause, life.reopen) if g]
        meetings = list(self._meetings(life, mentee, max(end, life.matched_on), gaps))
        held = [m for m in meetings if m[2] == M.Outcome.MET]
        life.first_met = held[0][0].date() if held else None
        if life.status != RS.INTRODUCED and life.status != RS.CLOSED and not held:
            life.pattern = NEVER_MET  # could not fit a meeting in: keep the data honest
            relationship.status = life.status = RS.INTRODUCED
            life.paused_on = life.ending_on = None
            life.reopen = life.past_pause = None

        # The history of states, dated.
        changes = [("", RS.INTRODUCED, life.matched_on, "Matched")]
        if life.first_met:
            changes.append((RS.INTRODUCED, RS.ACTIVE, life.first_met, "First meeting held"))
        if life.past_pause and life.first_met and life.past_pause[0] > life.first_met:
            start, stop = life.past_pause
            changes += [
                (RS.ACTIVE, RS.PAUSED, start, "Mentor taking a break"),
                (RS.PAUSED, RS.ACTIVE, stop, "Back from the break"),
            ]
            self.rows.pauses.append(
                Pause(
                    relationship_id=relationship.pk,
                    reason=Pause.Reason.MENTOR_BREAK,
                    starts_on=start,
                    ends_on=stop,
                )
            )
        if life.reopen and life.first_met and life.reopen[0] > life.first_met:
            closed, back = life.reopen
            changes += [
                (RS.ACTIVE, RS.CLOSED, closed, "Lost contact"),
                (RS.CLOSED, RS.ACTIVE, back, "Reopened: the mentee got back in touch"),
            ]
        last = changes[-1][1]
        if life.status == RS.PAUSED:
            changes.append((last, RS.PAUSED, life.paused_on, Pause.Reason(life.pause_reason).label))
            self.rows.pauses.append(
                Pause(
                    relationship_id=relationship.pk,
                    reason=life.pause_reason,
                    starts_on=life.paused_on,
                )
            )
        elif life.status == RS.ENDING:
            life.ending_on = max(life.ending_on, changes[-1][2])
            changes.append((last, RS.ENDING, life.ending_on, "Exit plan agreed"))
        elif life.status == RS.CLOSED:
            reason = Relationship.ClosureReason(life.closure_reason).label
            changes.append((last, RS.CLOSED, life.closed_on, reason))
        self.rows.changes += [
            RelationshipChange(
                relationship_id=relationship.pk, from_status=a, to_status=b, on=on, reason=why,
                by_id=by,
            )
            for a, b, on, why in changes
        ]  # fmt: skip

        goals = self._goals(relationship, mentor, life, by)
        reviews_end = self._reviews_end(life, meetings, end)
        self._reviews(relationship, life, goals, reviews_end, interval, by)
        if life.status == RS.CLOSED:
            relationship.final_review = FINAL_REVIEWS[life.closure_type]
            relationship.contact_after = (
                Relationship.ContactAfter.THROUGH_SCHEME
                if life.closure_type == "planned"
                else Relationship.ContactAfter.NONE
            )
            if life.closure_type == "planned":
                relationship.exit_plan = ENDING_PLANS[HEALTHY]
                relationship.planned_end_on = life.closed_on
        else:
            last_due = self._last_due
            relationship.next_review_on = (last_due or life.matched_on) + interval
        if life.status == RS.ENDING:
            relationship.exit_plan = ENDING_PLANS[HEALTHY]
            relationship.planned_end_on = today + DAY * rng.randint(7, 42)
        relationship.status = life.status
        self._add_meetings(relationship, meetings, goals, logged_by=mentor.user_id)

    def _meetings(
        self,
        life: Life,
        mentee: Mentee,
        end: datetime.date,
        gaps: list[tuple[datetime.date, datetime.date]],
    ) -> Iterator[tuple[datetime.datetime, str, str, str, str]]:
        """(held_at, initiated_by, outcome, purpose, mode) for each contact, in order."""
        rng, pattern = self.rng, life.pattern
        if pattern == NEW:
            return
        if pattern == NEVER_MET:
            day = life.matched_on + DAY * rng.randint(3, 10)
            for _ in range(rng.choice([0, 0, 1, 2])):
                if day > end:
                    return
                outcome = rng.choice([M.Outcome.DID_NOT_ATTEND, M.Outcome.CANCELLED_BY_MENTEE])
                yield self._at(day), Party.MENTOR, outcome, M.Purpose.GOALS, M.Mode.FACE_TO_FACE
                day += DAY * rng.randint(5, 12)
            return
        release = mentee.expected_release_on if mentee.situation == Situation.IN_CUSTODY else None
        day = life.matched_on + DAY * rng.randint(2, 10)
        days: list[datetime.date] = []
        k = 0
        while day <= end:
            if not any(a <= day < b for a, b in gaps):
                days.append(day)
            if pattern == FADING:
                step = int(3 * 1.22**k) + rng.randint(0, 2)
            elif pattern == MENTOR_DRIVEN:
                step = rng.randint(1, 2)
            else:
                step = rng.choice((1, 1, 2, 2, 3))  # messages and calls count as contacts
            day += DAY * step
            k += 1
        if not days and end >= life.matched_on and life.status != RS.CLOSED:
            days = [end]
        n = len(days)
        missed_from = n - rng.randint(3, 6) if pattern == MISSED else n + 1
        purposes = PURPOSES.get(pattern, PURPOSES[HEALTHY])
        for i, day in enumerate(days):
            progress = i / max(1, n - 1)
            # Who started it.
            if pattern == MENTOR_DRIVEN:
                mentor_share = 0.6 if progress < 0.4 else 0.93
            elif pattern in (HEALTHY, TOO_LONG):
                mentor_share = 0.6 - 0.3 * progress
            else:
                mentor_share = 0.55
            roll = rng.random()
            initiator = (
                Party.COORDINATOR
                if roll < 0.04
                else Party.MENTOR
                if roll < 0.04 + mentor_share * 0.96
                else Party.MENTEE
            )
            # Whether it happened.
            if i == 0:
                outcome = M.Outcome.MET
            elif i >= missed_from:
                initiator = Party.MENTOR
                outcome = rng.choice(
                    [M.Outcome.DID_NOT_ATTEND] * 3 + [M.Outcome.CANCELLED_BY_MENTEE]
                )
            else:
                roll = rng.random()
                outcome = (
                    M.Outcome.MET
                    if roll < 0.88
                    else M.Outcome.DID_NOT_ATTEND
                    if roll < 0.94
                    else M.Outcome.CANCELLED_BY_MENTEE
                    if roll < 0.97
                    else M.Outcome.CANCELLED_BY_MENTOR
                )
            # What for, and how.
            if pattern == TOO_LONG and progress < 0.3:
                purpose = _pick(rng, PURPOSES[HEALTHY])
            else:
                purpose = _pick(rng, purposes)
            if release and day < release:
                mode = M.Mode.CUSTODY_VISIT if rng.random() < 0.75 else M.Mode.MESSAGES
            elif release and i and days[i - 1] < release <= day:
                mode = M.Mode.PRISON_GATE
            else:
                mode = _pick(rng, MODES)
            yield self._at(day), initiator, outcome, purpose, mode

    def _at(self, day: datetime.date) -> datetime.datetime:
        held = datetime.datetime(
            day.year, day.month, day.day, self.rng.randint(9, 19), self.rng.choice([0, 15, 30, 45]),
            tzinfo=self.zone,
        )  # fmt: skip
        return min(held, self.now - datetime.timedelta(hours=1))

    def _goals(self, relationship: Relationship, mentor: Mentor, life: Life, by: int) -> list:
        """Goals agreed after the first meeting, each with steps; returns (goal, steps)."""
        if life.first_met is None:
            return []
        rng, pattern = self.rng, life.pattern
        made_by = mentor.user_id or by
        end = life.closed_on or self.today
        count = rng.randint(1, 3) if pattern != MENTOR_DRIVEN else 3
        domains = rng.sample(NeedDomain.values, k=count)
        out = []
        for g, domain in enumerate(domains):
            spacing = 40 if pattern == MENTOR_DRIVEN else 10
            agreed = min(end, life.first_met + DAY * (rng.randint(0, 14) + g * spacing))
            if pattern == MENTOR_DRIVEN and g > 0:
                proposed = Party.MENTOR
            elif pattern == MENTOR_DRIVEN:
                proposed = Party.TOGETHER
            else:
                proposed = _pick(
                    rng, [(Party.MENTEE, 45), (Party.TOGETHER, 45), (Party.MENTOR, 10)]
                )
            status, closed_on = Goal.Status.ACTIVE, None
            if pattern == TOO_LONG:
                status = Goal.Status.ACHIEVED
                closed_on = min(end, agreed + DAY * rng.randint(40, 100))
            elif life.status == RS.CLOSED and life.closure_type == "planned":
                status, closed_on = Goal.Status.ACHIEVED, end
            elif life.status == RS.CLOSED:
                status, closed_on = Goal.Status.DROPPED, end
            elif life.status == RS.ENDING and g == 0:
                status, closed_on = Goal.Status.ACHIEVED, life.ending_on
            goal = Goal(
                id=self._id(Goal),
                relationship_id=relationship.pk,
                title=GOAL_TITLES[domain],
                proposed_by=proposed,
                domain=domain,
                primary_good=rng.choice(GOOD_FOR[domain]),
                status=status,
                agreed_on=agreed,
                closed_on=max(closed_on, agreed) if closed_on else None,
                created_by_id=made_by,
            )
            self.rows.goals.append(goal)
            steps = []
            for j in range(rng.randint(2, 4)):
                due = agreed + DAY * (14 * (j + 1))
                if pattern == MENTOR_DRIVEN:
                    owner = Party.MENTEE if g == 0 and j == 0 else Party.MENTOR
                else:
                    owner = _pick(
                        rng, [(Party.MENTEE, 50), (Party.TOGETHER, 35), (Party.MENTOR, 15)]
                    )
                done = due <= end and (pattern in (HEALTHY, TOO_LONG) or rng.random() < 0.4)
                step = Step(
                    goal_id=goal.pk,
                    description=rng.choice(STEP_TEXTS),
                    owner=owner,
                    due_on=due,
                    status=Step.Status.DONE if done else Step.Status.TO_DO,
                    done_on=min(due, end) if done else None,
                )
                steps.append((agreed + DAY * 14 * j, step))
                self.rows.steps.append(step)
            out.append((goal, steps))
        return out

    def _reviews_end(self, life: Life, meetings: list, end: datetime.date) -> datetime.date:
        """Reviews stop when a relationship stalls: that is what makes them overdue."""
        if life.pattern in (FADING, MISSED) and meetings:
            cut = len(meetings) * 3 // 5 if life.pattern == FADING else max(0, len(meetings) - 6)
            return meetings[cut][0].date()
        if life.status == RS.CLOSED:
            return life.closed_on
        if life.status == RS.PAUSED:
            return life.paused_on
        return self.today

    def _reviews(
        self,
        relationship: Relationship,
        life: Life,
        goals: list,
        until: datetime.date,
        interval: datetime.timedelta,
        by: int,
    ) -> None:
        self._last_due = None
        if life.first_met is None:
            return
        rng, pattern = self.rng, life.pattern
        due = life.matched_on + interval
        n = 0
        while due <= until:
            if due < life.first_met:
                due += interval
                continue
            held_on = min(due + DAY * rng.randint(-3, 6), until, self.today)
            held_on = max(held_on, life.first_met)
            in_plan = [(g, s) for g, s in goals if g.agreed_on <= held_on]
            steps = [step for g, s in in_plan for made, step in s if made <= held_on]
            if pattern == MENTOR_DRIVEN:
                mentee_view, mentor_view = (
                    (Driving.SHARED, Driving.SHARED)
                    if n == 0
                    else (Driving.MENTOR_LED, Driving.SHARED)
                )
            elif pattern == TOO_LONG:
                mentee_view, mentor_view = Driving.MENTOR_LED, Driving.SHARED
            elif pattern == HEALTHY:
                mentee_view = Driving.MENTEE_LED if n > 1 else Driving.SHARED
                mentor_view = rng.choice([Driving.SHARED, Driving.MENTEE_LED])
            else:
                mentee_view, mentor_view = Driving.SHARED, Driving.SHARED
            rating = min(10, 5 + n) if pattern == HEALTHY else rng.randint(4, 7)
            review = Review(
                id=self._id(Review),
                relationship_id=relationship.pk,
                held_on=held_on,
                due_on=due,
                mentee_driving=mentee_view,
                mentor_driving=mentor_view,
                mentee_rating=rating if pattern != MENTOR_DRIVEN else max(1, 6 - n),
                mentor_rating=min(10, rating + rng.randint(0, 1)),
                goal_changes="",
                ending_plan=ENDING_PLANS.get(pattern, ENDING_PLANS[HEALTHY]),
                steps_total=len(steps),
                steps_owned_by_mentee=sum(1 for s in steps if s.owner == Party.MENTEE),
                recorded_by_id=by,
            )
            self.rows.reviews.append(review)
            for goal, _ in in_plan:
                if goal.closed_on and goal.closed_on < held_on:
                    continue
                age = (held_on - goal.agreed_on).days // 42
                if pattern == HEALTHY:
                    score = 3 + age + rng.randint(0, 1)
                elif pattern == TOO_LONG:
                    score = 5 + age
                elif pattern in (FADING, MISSED):
                    score = 4 - min(2, age // 2) + rng.randint(0, 1)
                else:
                    score = rng.randint(3, 5)
                self.rows.scores.append(
                    GoalScore(
                        review_id=review.pk,
                        goal_id=goal.pk,
                        domain=goal.domain,
                        score=max(1, min(10, score)),
                    )
                )
            self._last_due = due
            due += interval
            n += 1

    def _add_meetings(
        self, relationship: Relationship, meetings: list, goals: list, *, logged_by: int | None
    ) -> None:
        rng, now = self.rng, self.now
        for held_at, initiator, outcome, purpose, mode in meetings:
            meeting_id = self._id(Meeting)
            low, high = DURATION[mode]
            # In MEETING_COLUMNS order; private notes stay empty: they are the mentor's alone.
            self.rows.meetings.append(
                (
                    meeting_id,
                    relationship.pk,
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                    held_at,
                    rng.randint(low, high) if outcome == M.Outcome.MET else low,
                    mode,
                    initiator,
                    outcome,
                    purpose,
                    SHARED_NOTES[purpose] if rng.random() < 0.3 else "",
                    "",
                    "",
                    None,
                    logged_by,
                    now,
                )
            )
            if purpose == M.Purpose.GOALS and outcome == M.Outcome.MET and goals:
                day = held_at.date()
                live = [g for g, _ in goals if g.agreed_on <= day]
                if live:
                    self.rows.touched.append((meeting_id, rng.choice(live).pk))
