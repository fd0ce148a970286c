"""Who is matched with whom in the demo data, and how it goes: the demo mentor's caseload,
a showcase of every pattern in the demo coordinator's schemes, then a share of everyone else,
in proportions like the research found (demo/lives.py has the patterns)."""

import random
from dataclasses import dataclass

from demo.lives import (
    BRIEF,
    FADING,
    HEALTHY,
    MENTOR_DRIVEN,
    MISSED,
    NEVER_MET,
    NEW,
    SHORT,
    TOO_LONG,
)
from mentees.models import Mentee
from relationships.models import Relationship
from schemes.models import Mentor, Scheme

MATCHED_SHARE = 0.4


@dataclass(frozen=True)
class Case:
    """A relationship to make: its state, and optionally its pattern and how it closed."""

    status: str
    pattern: str | None = None
    closure_type: str | None = None
    reopened: bool = False


RSt = Relationship.Status
#: What happens to a match, roughly as the research found: about a third never meet, most
#: who meet do so once or twice, and a smaller tail keeps going.
RANDOM_CASES = [
    (Case(RSt.INTRODUCED), 14),  # new, or matched weeks ago and never met
    (Case(RSt.CLOSED, NEVER_MET, "unplanned"), 20),
    (Case(RSt.CLOSED, BRIEF, "unplanned"), 37),
    (Case(RSt.CLOSED, SHORT, "unplanned"), 6),  # met three to eight times, then stopped
    (Case(RSt.ACTIVE, BRIEF), 8),
    (Case(RSt.ACTIVE), 7),
    (Case(RSt.PAUSED), 2),
    (Case(RSt.ENDING), 2),
    (Case(RSt.CLOSED, HEALTHY), 4),  # ran its course, or faded, after many meetings
]
#: The demo mentor's caseload: several mentees in varied states (capacity 7: six open, and a
#: place left for an offer to try).
DEMO_MENTOR_CASES = [
    Case(RSt.ACTIVE, HEALTHY),
    Case(RSt.ACTIVE, MENTOR_DRIVEN),
    Case(RSt.INTRODUCED, NEVER_MET),
    Case(RSt.ACTIVE, TOO_LONG),
    Case(RSt.PAUSED, HEALTHY),
    Case(RSt.ENDING, HEALTHY),
    Case(RSt.CLOSED, HEALTHY, "planned"),
    Case(RSt.CLOSED, FADING, "unplanned"),
]
#: One of each pattern in each of the demo coordinator's schemes, with other mentors.
SHOWCASE_CASES = [
    Case(RSt.ACTIVE, FADING),
    Case(RSt.ACTIVE, MISSED),
    Case(RSt.ACTIVE, MENTOR_DRIVEN),
    Case(RSt.ACTIVE, HEALTHY, reopened=True),
    Case(RSt.ACTIVE, TOO_LONG),
    Case(RSt.INTRODUCED, NEW),
    Case(RSt.CLOSED, NEVER_MET, "unplanned"),
    Case(RSt.PAUSED, HEALTHY),
    Case(RSt.ENDING, HEALTHY),
    Case(RSt.CLOSED, HEALTHY, "planned"),
]


class Cases:
    """Who is matched with whom, and how it goes: the demo mentor's caseload first, then a
    showcase of every pattern in the demo coordinator's schemes, then a share of the rest."""

    def __init__(
        self, *, demo_mentor: Mentor, showcase_schemes: list[Scheme], places: dict[int, int]
    ) -> None:
        self.demo_mentor = demo_mentor
        self.demo_cases = list(DEMO_MENTOR_CASES)
        self.showcase = {scheme.pk: list(SHOWCASE_CASES) for scheme in showcase_schemes}
        self.places = places
        self.cases = [c for c, _ in RANDOM_CASES]
        self.weights = [w for _, w in RANDOM_CASES]

    def next(
        self, rng: random.Random, mentee: Mentee, pool: list[Mentor] | None
    ) -> tuple[Mentor, Case] | None:
        """The mentor and case for ``mentee`` (``pool``: their scheme's vetted mentors), or
        None if they are not matched."""
        demo_mentor, places = self.demo_mentor, self.places
        free = []
        if self.showcase.get(mentee.scheme_id) and pool:
            free = [
                m
                for m in pool
                if m is not demo_mentor and m.status == Mentor.Status.ACTIVE and places[m.pk]
            ]
            # Mentors who keep a place free after this match first, as in the rest.
            free = [m for m in free if places[m.pk] > 1] or free
        if mentee.scheme_id == demo_mentor.scheme_id and self.demo_cases:
            return demo_mentor, self.demo_cases.pop(0)
        if free:
            return rng.choice(free), self.showcase[mentee.scheme_id].pop(0)
        if pool and rng.random() < MATCHED_SHARE:
            mentor = rng.choice(pool)
            case = rng.choices(self.cases, self.weights)[0]
            # An open match leaves its mentor a place free, so the waiting list has someone
            # to suggest (the coordinator's next match), as well as the people it is waiting on.
            if case.status != Relationship.Status.CLOSED and (
                mentor.status != Mentor.Status.ACTIVE or places[mentor.pk] < 2
            ):
                return None
            return mentor, case
        return None
