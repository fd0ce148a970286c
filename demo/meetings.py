"""The contacts of each demo relationship, in the shape of its pattern (demo/lives.py): when
they happened, who started them, whether they were held, what for and how."""

import datetime
import random
import uuid
from collections.abc import Callable, Iterator

from demo.lives import (
    BRIEF,
    DAY,
    FADING,
    HEALTHY,
    MENTOR_DRIVEN,
    MISSED,
    NEVER_MET,
    NEW,
    RS,
    SHORT,
    TOO_LONG,
    Life,
    pick,
)
from demo.rows import Rows
from mentees.models import Mentee, Situation
from relationships.models import Goal, Meeting, Party

M = Meeting
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
DURATION: dict[str, tuple[int, int]] = {
    M.Mode.FACE_TO_FACE: (40, 120),
    M.Mode.CUSTODY_VISIT: (45, 90),
    M.Mode.PRISON_GATE: (60, 180),
    M.Mode.PHONE: (10, 30),
    M.Mode.VIDEO: (20, 45),
    M.Mode.MESSAGES: (5, 15),
}
SHARED_NOTES: dict[str, str] = {
    M.Purpose.GOALS: "Went through the plan together; next steps agreed.",
    M.Purpose.HELP_WITH: "Helped fill in the form together.",
    M.Purpose.HELP_FOR: "Gave a lift to the appointment and rang the office for them.",
    M.Purpose.SOCIAL: "Coffee and a catch-up.",
    M.Purpose.CRISIS: "Rough week; talked it through and made a plan for the weekend.",
}

#: (held_at, initiated_by, outcome, purpose, mode) of one contact.
Contact = tuple[datetime.datetime, str, str, str, str]
#: Days nobody meets: Christmas Day, Boxing Day, New Year's Day.
HOLIDAYS = {(12, 25), (12, 26), (1, 1)}
Gaps = list[tuple[datetime.date, datetime.date]]


class Contacts:
    """Makes each relationship's contacts and their meeting rows, from one random stream."""

    def __init__(self, *, rng: random.Random, now: datetime.datetime) -> None:
        self.rng = rng
        self.now = now

    def of(self, life: Life, mentee: Mentee, end: datetime.date, gaps: Gaps) -> Iterator[Contact]:
        """Each contact of one relationship, in order, none after ``end`` nor in ``gaps``."""
        if life.pattern == NEW:
            return
        if life.pattern == NEVER_MET:
            yield from self._never_met(life, end)
            return
        release = mentee.expected_release_on if mentee.situation == Situation.IN_CUSTODY else None
        if life.pattern in (BRIEF, SHORT):
            held = self.rng.choice([1, 1, 2]) if life.pattern == BRIEF else self.rng.randint(3, 8)
            yield from self._brief(life, end, release, held)
            return
        days = self._days(life, end, gaps)
        n = len(days)
        missed_from = n - self.rng.randint(3, 6) if life.pattern == MISSED else n + 1
        for i, day in enumerate(days):
            initiator, outcome = self._who_and_whether(life.pattern, i, n, missed_from)
            purpose, mode = self._what_and_how(life.pattern, days, i, release)
            yield self._at(day), initiator, outcome, purpose, mode

    def _never_met(self, life: Life, end: datetime.date) -> Iterator[Contact]:
        """A missed meeting or two at most."""
        rng = self.rng
        day = life.matched_on + DAY * rng.randint(3, 10)
        for _ in range(rng.choice([0, 0, 1, 2])):
            if day > end:
                return
            outcome = rng.choice([M.Outcome.DID_NOT_ATTEND, M.Outcome.CANCELLED_BY_MENTEE])
            yield self._at(day), Party.MENTOR, outcome, M.Purpose.GOALS, M.Mode.FACE_TO_FACE
            day += DAY * rng.randint(5, 12)

    def _brief(
        self, life: Life, end: datetime.date, release: datetime.date | None, held: int
    ) -> Iterator[Contact]:
        """Met ``held`` times (once or twice, or three to eight), a week or two apart, then a
        no-show or two, or silence."""
        rng = self.rng
        day = life.matched_on + DAY * rng.randint(3, 14)
        days: list[datetime.date] = []
        for _ in range(held + rng.choice([0, 1, 1, 2])):
            if (day.month, day.day) in HOLIDAYS:
                day += DAY
            if day > end:
                break
            days.append(day)
            day += DAY * rng.randint(6, 15)
        for i, day in enumerate(days):
            purpose, mode = self._what_and_how(HEALTHY, days, i, release)
            if i < held:
                initiator = Party.MENTOR if rng.random() < 0.7 else Party.MENTEE
                yield self._at(day), initiator, M.Outcome.MET, purpose, mode
            else:
                outcome = rng.choice([M.Outcome.DID_NOT_ATTEND, M.Outcome.CANCELLED_BY_MENTEE])
                yield self._at(day), Party.MENTOR, outcome, M.Purpose.GOALS, mode

    def _days(self, life: Life, end: datetime.date, gaps: Gaps) -> list[datetime.date]:
        """The days of contact: weekly to fortnightly, as schemes ask, growing further apart
        as a relationship fades; never on Christmas Day, Boxing Day or New Year's Day."""
        rng, pattern = self.rng, life.pattern
        day = life.matched_on + DAY * rng.randint(2, 10)
        days: list[datetime.date] = []
        k = 0
        while day <= end:
            holiday = (day.month, day.day) in HOLIDAYS
            if not holiday and not any(a <= day < b for a, b in gaps):
                days.append(day)
            if pattern == FADING:
                step = int(7 * 1.25**k) + rng.randint(0, 3)
            elif pattern == MENTOR_DRIVEN:
                step = rng.randint(5, 10)  # the mentor keeps chasing: weekly, or more
            else:
                step = rng.randint(6, 15)
            day += DAY * step
            k += 1
        if not days and end >= life.matched_on and life.state != RS.CLOSED:
            days = [end]
        return days

    def _who_and_whether(self, pattern: str, i: int, n: int, missed_from: int) -> tuple[str, str]:
        """Who started the ``i``-th of ``n`` contacts, and whether it was held."""
        rng = self.rng
        progress = i / max(1, n - 1)
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
        if i == 0:
            return initiator, M.Outcome.MET
        if i >= missed_from:
            outcome = rng.choice([M.Outcome.DID_NOT_ATTEND] * 3 + [M.Outcome.CANCELLED_BY_MENTEE])
            return Party.MENTOR, outcome
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
        return initiator, outcome

    def _what_and_how(
        self, pattern: str, days: list[datetime.date], i: int, release: datetime.date | None
    ) -> tuple[str, str]:
        """What the ``i``-th contact was for, and how it happened (in custody until release)."""
        rng, day = self.rng, days[i]
        if pattern == TOO_LONG and i / max(1, len(days) - 1) < 0.3:
            purpose = pick(rng, PURPOSES[HEALTHY])
        else:
            purpose = pick(rng, PURPOSES.get(pattern, PURPOSES[HEALTHY]))
        if release and day < release:
            mode = M.Mode.CUSTODY_VISIT if rng.random() < 0.75 else M.Mode.MESSAGES
        elif release and i and days[i - 1] < release <= day:
            mode = M.Mode.PRISON_GATE
        else:
            mode = pick(rng, MODES)
        return purpose, mode

    def _at(self, day: datetime.date) -> datetime.datetime:
        held = datetime.datetime(
            day.year, day.month, day.day, self.rng.randint(9, 19), self.rng.choice([0, 15, 30, 45]),
            tzinfo=self.now.tzinfo,
        )  # fmt: skip
        return min(held, self.now - datetime.timedelta(hours=1))

    def add_rows(
        self,
        rows: Rows,
        new_id: Callable[[type[Meeting]], int],
        relationship_id: int,
        contacts: list[Contact],
        goals: list[Goal],
        *,
        logged_by: int | None,
    ) -> None:
        """The meeting rows of one relationship's contacts, and the goals they worked on."""
        rng, now = self.rng, self.now
        for held_at, initiator, outcome, purpose, mode in contacts:
            meeting_id = new_id(Meeting)
            low, high = DURATION[mode]
            # In MEETING_COLUMNS order; private notes stay empty: they are the mentor's alone.
            rows.meetings.append(
                (
                    meeting_id,
                    relationship_id,
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                    held_at,
                    rng.randint(low, high) if outcome == M.Outcome.MET else low,
                    mode,
                    initiator,
                    outcome,
                    purpose,
                    SHARED_NOTES[purpose] if rng.random() < 0.3 else "",
                    "",
                    None,
                    logged_by,
                    now,
                )
            )
            if purpose == M.Purpose.GOALS and outcome == M.Outcome.MET and goals:
                day = held_at.date()
                live = [g for g in goals if g.agreed_on <= day]
                if live:
                    rows.touched.append((meeting_id, rng.choice(live).pk))
