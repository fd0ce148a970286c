"""Synthetic mentor pools for ``seed_demo``: believable proportions, deterministic by seed,
written in batches.

Most mentors are active; the rest are spread through the pipeline or have left. Each file
is created as an application and taken through its steps by the pipeline's own batch form
(``schemes.mentors.transitions.mentors_transition_many``), which checks them as the app does
and writes the timeline rows and audit events: every step is in order, everyone who became
active had a DBS check valid that day, vetting expires after issue. A few DBS checks run out
within 30 days or have expired, and most mentors in resettlement schemes are cleared for the
scheme's prisons (a few of those clearances have lapsed), so the pages and filters have
something to show and people in custody can be matched. Mentors live in postcode districts of
their scheme's town (demo/places.py).
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

from accounts.models import User
from demo.lives import pick
from demo.places import Patch, district_in
from schemes.mentors.self_services import capacity_request_make
from schemes.mentors.transitions import MentorStep, mentors_transition_many
from schemes.models import (
    AvailabilitySlot,
    DBSCheck,
    Mentor,
    PrisonClearance,
    Reference,
    ReflectionNote,
    Scheme,
    SupervisionSession,
    TrainingRecord,
    UnavailablePeriod,
)

BATCH = 5000
DBS_YEARS = 3 * 365  # the schemes' renewal policy: a DBS certificate itself has no expiry
S = Mentor.Status
#: The records waiting to be written, by model.
Rows = dict[type[Model], list[Any]]

STATUS_SHARES = [
    (S.ACTIVE, 58),
    (S.APPLIED, 8),
    (S.IN_TRAINING, 8),
    (S.VETTING, 10),
    (S.PAUSED, 6),
    (S.LEFT, 10),
]
KIND_SHARES = [(Mentor.Kind.VOLUNTEER, 75), (Mentor.Kind.PEER, 18), (Mentor.Kind.PAID_STAFF, 7)]
CAPACITY_SHARES = [(1, 45), (2, 40), (3, 15)]
LANGUAGES = ["Polish", "Urdu", "Punjabi", "Welsh", "Romanian", "Arabic", "Somali", "Bengali"]
INTERESTS = [
    "football", "music", "cooking", "fishing", "gym", "art", "gaming", "walking",
    "reading", "boxing", "gardening", "cars",
]  # fmt: skip
SKILLS = ["housing", "benefits", "CVs and job search", "recovery", "debt advice", "education"]
GENDERS = ["woman", "man", "non-binary", "female", "male"]
ETHNICITIES = ["White British", "Black British", "British Asian", "Mixed", "White Irish"]
MODULES = [
    "Induction",
    "Boundaries and safeguarding",
    "Trauma-informed practice",
    "Motivational interviewing",
    "Working with people in custody",
    "Confidentiality and information sharing",
    "Planning endings",
]
AWAY_REASONS = ["University vacation", "Exams", "Caring responsibilities", "Holiday", "Surgery"]
SUPERVISION_NOTES = [
    "Reviewed goals together; the mentee set the agenda for the next two meetings.",
    "Mentor has been giving lifts to appointments. Agreed to plan the bus route with the "
    "mentee instead.",
    "Contact has dropped since release. Agreed one call a week and a review in a month.",
    "Talked about planning the ending: two more meetings, then a handover to the hub.",
    "Mentor feels responsible for the mentee's housing problems. Talked through boundaries.",
    "Going well: the mentee now books their own appointments.",
]


@dataclass
class Plan:
    """What happened to one mentor, decided before the rows exist: the steps after their
    application, each with its day."""

    status: str
    applied: datetime.date
    active: datetime.date | None = None
    steps: list[tuple[str, datetime.date]] = field(default_factory=list)

    @property
    def since(self) -> datetime.date:
        return self.steps[-1][1] if self.steps else self.applied


class MentorPoolSeeder:
    def __init__(self, *, seed: int, today: datetime.date) -> None:
        # Its own stream, so the rest of the demo data stays the same whatever is added here.
        self.rng = random.Random(f"mentor-pool-{seed}")
        self.today = today
        self.plans: list[Plan] = []
        self.working = 0  # active and paused mentors seen so far

    def _ago(self, low: int, high: int) -> datetime.date:
        return self.today - datetime.timedelta(days=self.rng.randint(low, high))

    def profile(
        self, *, given: str, family: str, demo: bool, patch: Patch
    ) -> tuple[dict[str, Any], Plan]:
        """The fields of one ``Mentor`` as they applied (without scheme, user or names), and
        the plan of their steps through the pipeline."""
        rng = self.rng
        plan = self._pipeline(S.ACTIVE if demo else pick(rng, STATUS_SHARES), demo=demo)
        self.plans.append(plan)
        kind = Mentor.Kind.PAID_STAFF if demo else pick(rng, KIND_SHARES)
        fields = {
            "kind": kind,
            "applied_on": plan.applied,
            "status_since": plan.applied,
            "capacity": 7 if demo else pick(rng, CAPACITY_SHARES),
            # Six open matches (demo/cases.py) and a place left for the offer to try.
            "email": f"{given}.{family}".lower().replace(" ", "") + "@example.net",
            "phone": f"07700 900{rng.randint(0, 999):03d}",
            "home_area": district_in(patch, rng.random(), rng.randrange(1000)),
            "travel_km": rng.choice([5, 10, 15, 20, 30, 40]),
            "languages": ["English"] + ([rng.choice(LANGUAGES)] if rng.random() < 0.2 else []),
            "interests": rng.sample(INTERESTS, k=rng.randint(1, 3)),
            "skills": rng.sample(SKILLS, k=rng.randint(0, 2)),
            "gender_self_description": rng.choice(GENDERS) if rng.random() < 0.6 else "",
            "ethnicity_self_description": rng.choice(ETHNICITIES) if rng.random() < 0.45 else "",
        }
        return fields, plan

    def _pipeline(self, status: str, *, demo: bool) -> Plan:
        rng, day = self.rng, datetime.timedelta
        if status in (S.ACTIVE, S.PAUSED) or (status == S.LEFT and rng.random() < 0.5):
            # Days from application to active: mostly one to four months, some far longer.
            lag = rng.randint(35, 120) if rng.random() < 0.8 else rng.randint(121, 300)
            # The demo mentor has mentored long enough to show every kind of relationship.
            applied = self._ago(lag + (600 if demo else 10), lag + 1300)
            active = applied + day(lag)
            plan = Plan(status, applied, active=active)
            plan.steps = [
                (S.IN_TRAINING, applied + day(int(lag * rng.uniform(0.05, 0.3)))),
                (S.VETTING, applied + day(int(lag * rng.uniform(0.35, 0.7)))),
                (S.ACTIVE, active),
            ]
            if status in (S.PAUSED, S.LEFT):
                plan.steps.append((status, self._ago(1, (self.today - active).days - 1)))
        else:
            # Still in the pipeline, or left before getting through it.
            stage = status if status != S.LEFT else rng.choice([S.APPLIED, S.VETTING])
            # Every date is drawn, whichever is used, so the stream stays as it always was.
            starts: dict[str, datetime.date] = {
                S.APPLIED: self._ago(0, 30),
                S.IN_TRAINING: self._ago(15, 90),
            }
            applied = starts.get(stage, self._ago(40, 220))
            plan = Plan(status, applied)
            if stage in (S.IN_TRAINING, S.VETTING):
                plan.steps.append((S.IN_TRAINING, applied + day(rng.randint(3, 12))))
            if stage == S.VETTING:
                plan.steps.append((S.VETTING, applied + day(rng.randint(13, 35))))
            if status == S.LEFT:
                plan.steps.append((S.LEFT, plan.since + day(rng.randint(1, 20))))
        plan.steps = [(to, min(on, self.today)) for to, on in plan.steps]
        return plan

    def records(self, mentors: list[Mentor], patches: dict[int, Patch]) -> dict[str, int]:
        """Bulk-insert every mentor's vetting, training, references, availability and
        supervision, following the plans made by ``profile`` (same order); ``patches`` gives
        each scheme's prisons by scheme id."""
        rows: Rows = {
            model: []
            for model in (
                DBSCheck,
                PrisonClearance,
                TrainingRecord,
                Reference,
                AvailabilitySlot,
                UnavailablePeriod,
                SupervisionSession,
            )
        }
        for index, (mentor, plan) in enumerate(zip(mentors, self.plans, strict=True)):
            self._vetting(mentor, plan, rows, patches[mentor.scheme_id], demo=index == 0)
            self._preparation(mentor, plan, rows)
            if plan.status != S.LEFT:
                self._availability(mentor, plan, rows, demo=index == 0)
            if plan.active and plan.status != S.LEFT:
                self._supervision(mentor, plan.active, rows)
        counts = {}
        for model, objects in rows.items():
            model._default_manager.bulk_create(objects, batch_size=BATCH)
            counts[str(model._meta.verbose_name_plural)] = len(objects)
        return counts

    def steps(self, mentors: list[Mentor], *, coordinator_for: dict[int, User]) -> int:
        """Take every mentor through their plan's steps, from the application on, as the
        app does (the vetting must be written first: becoming active needs a DBS check),
        a batch per coordinator, who takes them. Returns the number of steps."""
        by_coordinator: dict[User, list[MentorStep]] = defaultdict(list)
        for mentor, plan in zip(mentors, self.plans, strict=True):
            steps = by_coordinator[coordinator_for[mentor.scheme_id]]
            steps.append(MentorStep(mentor, S.APPLIED, plan.applied, first=True))
            steps += [MentorStep(mentor, to, on) for to, on in plan.steps]
        for by, steps in by_coordinator.items():
            mentors_transition_many(by=by, steps=steps)
        return sum(len(steps) for steps in by_coordinator.values())

    def _vetting(self, mentor: Mentor, plan: Plan, rows: Rows, patch: Patch, *, demo: bool) -> None:
        rng, day = self.rng, datetime.timedelta
        if plan.active is None:
            if plan.status == S.VETTING and rng.random() < 0.4:
                issued = self._ago(1, 20)
                rows[DBSCheck].append(self._dbs(mentor, issued, issued + day(DBS_YEARS)))
            return
        # Most checks have years to run; about one in ten of the working pool runs out within
        # 30 days and one in 25 has expired (counted, not drawn, so a small demo has some).
        self.working += plan.status in (S.ACTIVE, S.PAUSED) and not demo
        if self.working % 25 == 3 and plan.status != S.LEFT:
            expires = self.today - day(rng.randint(1, 90))
        elif self.working % 10 == 5 and plan.status != S.LEFT:
            expires = self.today + day(rng.randint(1, 30))
        else:
            expires = self.today + day(rng.randint(31, DBS_YEARS - 1))
        if demo:  # the demo mentor's check runs out within the first reminder (60 days)
            expires = self.today + day(45)
        if expires <= plan.active:  # must have been valid the day they started
            expires = self.today + day(rng.randint(31, DBS_YEARS - 1))
        # Work back through renewals until a check covers the day they became active.
        issued = expires - day(DBS_YEARS)
        rows[DBSCheck].append(self._dbs(mentor, issued, expires))
        while issued > plan.active:
            expires = issued + day(rng.randint(0, 45))  # renewed up to 45 days early
            issued = expires - day(DBS_YEARS)
            rows[DBSCheck].append(self._dbs(mentor, issued, expires))
        if mentor.scheme.kind == Scheme.Kind.RESETTLEMENT and (demo or rng.random() < 0.8):
            prisons = rng.sample(patch.prisons, k=2 if demo or rng.random() < 0.75 else 1)
            if demo or rng.random() < 0.5:  # some visit the women's prison too
                prisons.append(patch.womens_prison)
            for prison in prisons:
                expires = self.today + day(rng.randint(40 if demo else -30, 365))
                rows[PrisonClearance].append(
                    PrisonClearance(
                        mentor_id=mentor.pk,
                        establishment=prison,
                        issued_on=expires - day(365),
                        expires_on=expires,
                    )
                )

    def self_service(self, mentor: Mentor) -> None:
        """What the demo mentor keeps on their own profile: a request for one more mentee,
        waiting for the coordinator, and a reflection shared for their next supervision.

        The request is made as the mentor makes it in the app, so the scheme's coordinators
        have its notification waiting."""
        if mentor.user is None:
            raise ValueError("The demo mentor needs their login to ask for more mentees")
        capacity_request_make(
            mentor=mentor,
            by=mentor.user,
            requested=mentor.capacity + 1,
            reason="My exams are over in June",
        )
        ReflectionNote.objects.create(
            mentor=mentor,
            text="Two of my mentees missed meetings this month. I would like to talk about "
            "how to follow up without chasing.",
            shared=True,
        )

    def _dbs(self, mentor: Mentor, issued: datetime.date, expires: datetime.date) -> DBSCheck:
        level = DBSCheck.Level.ENHANCED_BARRED if self.rng.random() < 0.85 else "enhanced"
        return DBSCheck(mentor_id=mentor.pk, level=level, issued_on=issued, expires_on=expires)

    def _preparation(self, mentor: Mentor, plan: Plan, rows: Rows) -> None:
        """Training and references, done between applying and the last pipeline step."""
        rng = self.rng
        reached = {to for to, _ in plan.steps}
        span = max(1, ((plan.active or plan.since) - plan.applied).days)
        if S.VETTING in reached:
            modules, references = rng.randint(3, 5), 2
        elif S.IN_TRAINING in reached:
            modules, references = rng.randint(0, 2), rng.randint(0, 2)
        else:
            return
        for module in MODULES[:modules]:
            done = plan.applied + datetime.timedelta(days=rng.randint(1, span))
            rows[TrainingRecord].append(
                TrainingRecord(mentor_id=mentor.pk, module=module, completed_on=done)
            )
        for referee in ["Employer", "Personal referee"][:references]:
            received = plan.applied + datetime.timedelta(days=rng.randint(1, span))
            rows[Reference].append(
                Reference(
                    mentor_id=mentor.pk,
                    referee=referee,
                    received_on=received,
                    satisfactory=rng.random() < 0.96,
                )
            )

    def _availability(self, mentor: Mentor, plan: Plan, rows: Rows, *, demo: bool) -> None:
        rng = self.rng
        week = [(d, p) for d in AvailabilitySlot.Weekday.values for p in AvailabilitySlot.Part]
        for weekday, part in rng.sample(week, k=rng.randint(1, 4)):
            rows[AvailabilitySlot].append(
                AvailabilitySlot(mentor_id=mentor.pk, weekday=weekday, part=part)
            )
        if plan.status == S.ACTIVE and not demo and rng.random() < 0.12:
            starts = self.today + datetime.timedelta(days=rng.randint(-20, 60))
            rows[UnavailablePeriod].append(
                UnavailablePeriod(
                    mentor_id=mentor.pk,
                    starts_on=starts,
                    ends_on=starts + datetime.timedelta(days=rng.randint(7, 90)),
                    reason=rng.choice(AWAY_REASONS),
                )
            )

    def _supervision(self, mentor: Mentor, active: datetime.date, rows: Rows) -> None:
        """Every six to ten weeks since they became active; the last few sessions kept."""
        rng = self.rng
        held = self.today - datetime.timedelta(days=rng.randint(3, 80))
        sessions: list[datetime.date] = []
        while held > active and len(sessions) < 4:
            sessions.append(held)
            held -= datetime.timedelta(weeks=rng.randint(6, 10))
        for n, day in enumerate(sessions):
            rows[SupervisionSession].append(
                SupervisionSession(
                    mentor_id=mentor.pk,
                    held_on=day,
                    notes=rng.choice(SUPERVISION_NOTES),
                    next_due_on=day + datetime.timedelta(weeks=6) if n == 0 else None,
                )
            )
