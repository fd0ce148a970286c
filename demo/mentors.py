"""Synthetic mentor pools for ``seed_demo``: believable proportions, deterministic by seed,
bulk inserts only.

Most mentors are active; the rest are spread through the pipeline or have left. The dates
agree with the rules the services enforce: every step is in order, everyone who became
active had a DBS check valid that day, vetting expires after issue. A few DBS checks run out
within 30 days or have expired, and a share of mentors in resettlement schemes are cleared
for a prison, so the pages and filters have something to show.
"""

import datetime
import random
from dataclasses import dataclass, field

from schemes.models import (
    AvailabilitySlot,
    DBSCheck,
    Mentor,
    MentorStatusChange,
    PrisonClearance,
    Reference,
    Scheme,
    SupervisionSession,
    TrainingRecord,
    UnavailablePeriod,
)

BATCH = 5000
DBS_YEARS = 3 * 365  # the schemes' renewal policy: a DBS certificate itself has no expiry
S = Mentor.Status

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
DISTRICTS = "LS6 LS11 BD7 HD1 WF1 M14 M8 L8 B12 B21 NG7 S2 HU3 CF24 BS5 NE6 SE15 E3 N17 LE3"
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
PRISONS = [
    "HMP Leeds", "HMP Wakefield", "HMP Hull", "HMP Doncaster", "HMP Manchester",
    "HMP Liverpool", "HMP Birmingham", "HMP Bristol", "HMP Cardiff", "HMP Durham",
    "HMP Nottingham", "HMP Pentonville", "HMP Styal", "HMP Low Newton",
]  # fmt: skip
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
    """What happened to one mentor, decided before the rows exist."""

    steps: list[tuple[str, str, datetime.date]] = field(default_factory=list)


class MentorPoolSeeder:
    def __init__(self, *, seed: int, today: datetime.date) -> None:
        # Its own stream, so the rest of the demo data stays the same whatever is added here.
        self.rng = random.Random(f"mentor-pool-{seed}")
        self.today = today
        self.plans: list[Plan] = []
        self.working = 0  # active and paused mentors seen so far

    def _pick(self, shares: list[tuple[object, int]]) -> object:
        return self.rng.choices([v for v, _ in shares], [w for _, w in shares])[0]

    def _ago(self, low: int, high: int) -> datetime.date:
        return self.today - datetime.timedelta(days=self.rng.randint(low, high))

    def profile(self, *, scheme: Scheme, given: str, family: str, demo: bool) -> dict:
        """The fields of one ``Mentor`` (without scheme, user or names' storage)."""
        rng = self.rng
        status = S.ACTIVE if demo else self._pick(STATUS_SHARES)
        plan = Plan()
        day = datetime.timedelta
        if status in (S.ACTIVE, S.PAUSED) or (status == S.LEFT and rng.random() < 0.5):
            # Days from application to active: mostly one to four months, some far longer.
            lag = rng.randint(35, 120) if rng.random() < 0.8 else rng.randint(121, 300)
            # The demo mentor has mentored long enough to show every kind of relationship.
            applied = self._ago(lag + (600 if demo else 10), lag + 1300)
            active = applied + day(lag)
            plan.steps = [
                (S.APPLIED, S.IN_TRAINING, applied + day(int(lag * rng.uniform(0.05, 0.3)))),
                (S.IN_TRAINING, S.VETTING, applied + day(int(lag * rng.uniform(0.35, 0.7)))),
                (S.VETTING, S.ACTIVE, active),
            ]
            if status in (S.PAUSED, S.LEFT):
                since = self._ago(1, (self.today - active).days - 1)
                plan.steps.append((S.ACTIVE, status, since))
        else:
            # Still in the pipeline, or left before getting through it.
            stage = status if status != S.LEFT else rng.choice([S.APPLIED, S.VETTING])
            applied = {S.APPLIED: self._ago(0, 30), S.IN_TRAINING: self._ago(15, 90)}.get(
                stage, self._ago(40, 220)
            )
            active = None
            if stage in (S.IN_TRAINING, S.VETTING):
                plan.steps.append((S.APPLIED, S.IN_TRAINING, applied + day(rng.randint(3, 12))))
            if stage == S.VETTING:
                plan.steps.append((S.IN_TRAINING, S.VETTING, applied + day(rng.randint(13, 35))))
            if status == S.LEFT:
                last = plan.steps[-1][2] if plan.steps else applied
                plan.steps.append((stage, S.LEFT, last + day(rng.randint(1, 20))))
        plan.steps = [(a, b, min(d, self.today)) for a, b, d in plan.steps]
        self.plans.append(plan)

        kind = Mentor.Kind.PAID_STAFF if demo else self._pick(KIND_SHARES)
        return {
            "kind": kind,
            "status": status,
            "applied_on": applied,
            "status_since": plan.steps[-1][2] if plan.steps else applied,
            "first_active_on": active,
            "capacity": 6 if demo else self._pick(CAPACITY_SHARES),
            "email": f"{given}.{family}".lower().replace(" ", "") + "@example.net",
            "phone": f"07700 900{rng.randint(0, 999):03d}",
            "home_area": rng.choice(DISTRICTS.split()),
            "travel_km": rng.choice([5, 10, 15, 20, 30, 40]),
            "languages": ["English"] + ([rng.choice(LANGUAGES)] if rng.random() < 0.2 else []),
            "interests": rng.sample(INTERESTS, k=rng.randint(1, 3)),
            "skills": rng.sample(SKILLS, k=rng.randint(0, 2)),
            "gender_self_description": rng.choice(GENDERS) if rng.random() < 0.6 else "",
            "ethnicity_self_description": rng.choice(ETHNICITIES) if rng.random() < 0.45 else "",
        }

    def records(self, mentors: list[Mentor]) -> dict[str, int]:
        """Bulk-insert every mentor's timeline, vetting, training, references, availability
        and supervision, following the plans made by ``profile`` (same order)."""
        rows: dict[type, list] = {
            model: []
            for model in (
                MentorStatusChange,
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
            rows[MentorStatusChange].append(
                MentorStatusChange(
                    mentor_id=mentor.pk,
                    from_status="",
                    to_status=S.APPLIED,
                    changed_on=mentor.applied_on,
                )
            )
            rows[MentorStatusChange] += [
                MentorStatusChange(mentor_id=mentor.pk, from_status=a, to_status=b, changed_on=d)
                for a, b, d in plan.steps
            ]
            self._vetting(mentor, rows, demo=index == 0)
            self._preparation(mentor, plan, rows)
            if mentor.status != S.LEFT:
                self._availability(mentor, rows, demo=index == 0)
            if mentor.first_active_on and mentor.status != S.LEFT:
                self._supervision(mentor, rows)
        counts = {}
        for model, objects in rows.items():
            model.objects.bulk_create(objects, batch_size=BATCH)
            counts[model._meta.verbose_name_plural] = len(objects)
        return counts

    def _vetting(self, mentor: Mentor, rows: dict[type, list], *, demo: bool) -> None:
        rng, day = self.rng, datetime.timedelta
        if mentor.first_active_on is None:
            if mentor.status == S.VETTING and rng.random() < 0.4:
                issued = self._ago(1, 20)
                rows[DBSCheck].append(self._dbs(mentor, issued, issued + day(DBS_YEARS)))
            return
        # Most checks have years to run; about one in ten of the working pool runs out within
        # 30 days and one in 25 has expired (counted, not drawn, so a small demo has some).
        self.working += mentor.status in (S.ACTIVE, S.PAUSED) and not demo
        if self.working % 25 == 3 and mentor.status != S.LEFT:
            expires = self.today - day(rng.randint(1, 90))
        elif self.working % 10 == 5 and mentor.status != S.LEFT:
            expires = self.today + day(rng.randint(1, 30))
        else:
            expires = self.today + day(rng.randint(31, DBS_YEARS - 1))
        if expires <= mentor.first_active_on:  # must have been valid the day they started
            expires = self.today + day(rng.randint(31, DBS_YEARS - 1))
        # Work back through renewals until a check covers the day they became active.
        issued = expires - day(DBS_YEARS)
        rows[DBSCheck].append(self._dbs(mentor, issued, expires))
        while issued > mentor.first_active_on:
            expires = issued + day(rng.randint(0, 45))  # renewed up to 45 days early
            issued = expires - day(DBS_YEARS)
            rows[DBSCheck].append(self._dbs(mentor, issued, expires))
        if mentor.scheme.kind == Scheme.Kind.RESETTLEMENT and (demo or rng.random() < 0.4):
            for prison in rng.sample(PRISONS, k=1 if rng.random() < 0.8 else 2):
                expires = self.today + day(rng.randint(40 if demo else -30, 365))
                rows[PrisonClearance].append(
                    PrisonClearance(
                        mentor_id=mentor.pk,
                        establishment=prison,
                        issued_on=expires - day(365),
                        expires_on=expires,
                    )
                )

    def _dbs(self, mentor: Mentor, issued: datetime.date, expires: datetime.date) -> DBSCheck:
        level = DBSCheck.Level.ENHANCED_BARRED if self.rng.random() < 0.85 else "enhanced"
        return DBSCheck(mentor_id=mentor.pk, level=level, issued_on=issued, expires_on=expires)

    def _preparation(self, mentor: Mentor, plan: Plan, rows: dict[type, list]) -> None:
        """Training and references, done between applying and the last pipeline step."""
        rng = self.rng
        reached = {to for _, to, _ in plan.steps}
        end = mentor.first_active_on or mentor.status_since
        span = max(1, (end - mentor.applied_on).days)
        if S.VETTING in reached:
            modules, references = rng.randint(3, 5), 2
        elif S.IN_TRAINING in reached:
            modules, references = rng.randint(0, 2), rng.randint(0, 2)
        else:
            return
        for module in MODULES[:modules]:
            done = mentor.applied_on + datetime.timedelta(days=rng.randint(1, span))
            rows[TrainingRecord].append(
                TrainingRecord(mentor_id=mentor.pk, module=module, completed_on=done)
            )
        for referee in ["Employer", "Personal referee"][:references]:
            received = mentor.applied_on + datetime.timedelta(days=rng.randint(1, span))
            rows[Reference].append(
                Reference(
                    mentor_id=mentor.pk,
                    referee=referee,
                    received_on=received,
                    satisfactory=rng.random() < 0.96,
                )
            )

    def _availability(self, mentor: Mentor, rows: dict[type, list], *, demo: bool) -> None:
        rng = self.rng
        week = [(d, p) for d in AvailabilitySlot.Weekday.values for p in AvailabilitySlot.Part]
        for weekday, part in rng.sample(week, k=rng.randint(1, 4)):
            rows[AvailabilitySlot].append(
                AvailabilitySlot(mentor_id=mentor.pk, weekday=weekday, part=part)
            )
        if mentor.status == S.ACTIVE and not demo and rng.random() < 0.12:
            starts = self.today + datetime.timedelta(days=rng.randint(-20, 60))
            rows[UnavailablePeriod].append(
                UnavailablePeriod(
                    mentor_id=mentor.pk,
                    starts_on=starts,
                    ends_on=starts + datetime.timedelta(days=rng.randint(7, 90)),
                    reason=rng.choice(AWAY_REASONS),
                )
            )

    def _supervision(self, mentor: Mentor, rows: dict[type, list]) -> None:
        """Every six to ten weeks since they became active; the last few sessions kept."""
        rng = self.rng
        held = self.today - datetime.timedelta(days=rng.randint(3, 80))
        sessions = []
        while held > mentor.first_active_on and len(sessions) < 4:
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
