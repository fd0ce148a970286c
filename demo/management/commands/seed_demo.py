"""Build realistic synthetic data for demos, screenshots and load checks.

Deterministic by ``--seed``: the same seed gives the same people. Everything is bulk-inserted,
so the national scale (200 schemes, 5,000 mentors, 60,000 mentees) builds in minutes. The data
is invented: names come from Faker, never from real records. Seeding is not a user action, so
it writes no audit events.
"""

import datetime
import random
import time
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from faker import Faker

from accounts.models import Membership, Role, User
from demo.mentors import MentorPoolSeeder
from demo.relationships import (
    FADING,
    HEALTHY,
    MENTOR_DRIVEN,
    MISSED,
    NEVER_MET,
    NEW,
    TOO_LONG,
    LifePlanner,
    RelationshipLifeSeeder,
)
from mentees.models import (
    Consent,
    ContactAttempt,
    Mentee,
    NeedDomain,
    Readiness,
    Referral,
    ReferralTransition,
    RestrictionKind,
    SafetyRestriction,
    Situation,
)
from mentees.transitions import EXIT_REASONS
from relationships.models import Relationship
from schemes.models import Funding, FunnelStage, Mentor, Scheme, Target

DEMO_PASSWORD = "demo-password-1"  # noqa: S105  (printed by make run; demo data only)
DEMO_LOGINS = {
    "manager": "manager@demo.tandem.example",
    "coordinator": "coordinator@demo.tandem.example",
    "mentor": "mentor@demo.tandem.example",
}
BATCH = 5000


@dataclass(frozen=True)
class Scale:
    schemes: int
    mentors: int
    mentees: int


SCALES = {
    "demo": Scale(schemes=3, mentors=40, mentees=300),
    "national": Scale(schemes=200, mentors=5_000, mentees=60_000),
}

SCHEME_KINDS = [
    (Scheme.Kind.RESETTLEMENT, "Resettlement"),
    (Scheme.Kind.BAIL_SUPPORT, "Bail Support"),
    (Scheme.Kind.COMMUNITY, "Community Mentoring"),
]
# What happens to a match, roughly as the research found: many never get going.
RELATIONSHIP_OUTCOMES = [
    (Relationship.Status.INTRODUCED, 20),
    (Relationship.Status.ACTIVE, 30),
    (Relationship.Status.PAUSED, 5),
    (Relationship.Status.ENDING, 5),
    (Relationship.Status.CLOSED, 40),
]
MATCHED_SHARE = 0.35


@dataclass(frozen=True)
class Case:
    """A relationship to make: its state, and optionally its pattern and how it closed."""

    status: str
    pattern: str | None = None
    closure_type: str | None = None
    reopened: bool = False


RSt = Relationship.Status
#: The demo mentor's caseload: several mentees in varied states (capacity 6).
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

RS = Referral.Status
# The steps after "referred" that lead to each status.
REFERRAL_PATHS = {
    RS.REFERRED: [],
    RS.ASSESSING: [RS.ASSESSING],
    RS.AWAITING_MATCH: [RS.ASSESSING, RS.AWAITING_MATCH],
    RS.MATCHED: [RS.ASSESSING, RS.AWAITING_MATCH, RS.MATCHED],
    RS.ACTIVE: [RS.ASSESSING, RS.AWAITING_MATCH, RS.MATCHED, RS.ACTIVE],
    RS.ENDED: [RS.ASSESSING, RS.AWAITING_MATCH, RS.MATCHED, RS.ACTIVE, RS.ENDED],
    RS.DECLINED: [RS.ASSESSING, RS.DECLINED],
    RS.WITHDRAWN: [RS.ASSESSING, RS.AWAITING_MATCH, RS.WITHDRAWN],
    RS.NOT_SUITABLE: [RS.ASSESSING, RS.NOT_SUITABLE],
    RS.LOST_CONTACT: [RS.LOST_CONTACT],
}
REFERRAL_FOR_RELATIONSHIP = {
    Relationship.Status.INTRODUCED: RS.MATCHED,
    Relationship.Status.ACTIVE: RS.ACTIVE,
    Relationship.Status.PAUSED: RS.ACTIVE,
    Relationship.Status.ENDING: RS.ACTIVE,
    Relationship.Status.CLOSED: RS.ENDED,
}
UNMATCHED_STATUSES = [
    RS.REFERRED, RS.ASSESSING, RS.AWAITING_MATCH, RS.DECLINED,
    RS.WITHDRAWN, RS.NOT_SUITABLE, RS.LOST_CONTACT,
]  # fmt: skip
UNMATCHED_WEIGHTS = [15, 10, 20, 12, 8, 10, 25]
SOURCES = list(Referral.Source.values)
SOURCE_WEIGHTS = [35, 35, 10, 8, 12]
REFERRERS = ["Resettlement team", "Probation service", "Bail information", "Housing charity",
             "Drug and alcohol service", "Magistrates' court", ""]  # fmt: skip
REASONS = [
    "Leaving custody soon with no settled address.",
    "Wants help finding work and keeping appointments.",
    "Little family contact; asked for someone to talk to.",
    "On bail, struggling to keep to conditions without support.",
    "Recently released and finding it hard to cope.",
]
STRENGTHS = [
    "Good with my hands, I like fixing things.",
    "I'm a good dad when I get the chance.",
    "Determined. I got through rehab before.",
    "I like cooking and I'm good with people.",
    "",
]
FUNDERS = ["Ministry of Justice", "The Lottery Community Fund", "Police and Crime Commissioner",
           "Local authority"]  # fmt: skip
# Targets per funnel stage, as shares of the year's expected referrals.
TARGET_SHARES = [
    (FunnelStage.REFERRED, 1.0),
    (FunnelStage.MATCHED, 0.4),
    (FunnelStage.MET_3_PLUS, 0.25),
    (FunnelStage.ENDED_AS_PLANNED, 0.15),
]
PRISONS = ["HMP Northgate", "HMP Eastfield", "HMP Riverside", "HMP Hollowmoor"]
RESTRICTIONS = [
    (RestrictionKind.PUBLIC_PLACES_ONLY, "Meet only in public places."),
    (RestrictionKind.NO_HOME_VISITS, "No home visits."),
    (RestrictionKind.NO_LONE_MEETINGS, "Meet only with a second person present."),
]
ATTEMPT_OUTCOMES = list(ContactAttempt.Outcome.values)
ATTEMPT_WEIGHTS = [40, 25, 20, 5, 5, 5]


class Command(BaseCommand):
    help = "Load synthetic demo data (deterministic by --seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already has schemes (used by make run).",
        )
        parser.add_argument(
            "--logins", action="store_true", help="Only print the demo logins, if loaded."
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["logins"]:
            self._print_logins()
            return
        if options["if_empty"] and Scheme.objects.exists():
            self.stdout.write("Data already loaded; seed_demo left it as it is.")
            return
        if Scheme.objects.exists():
            raise CommandError(
                "The database already holds schemes; seed_demo only fills an empty one. "
                "Start from a fresh database (for the embedded default: make clean)."
            )
        scale = SCALES[str(options["scale"])]
        started = time.monotonic()
        counts = Seeder(seed=int(options["seed"]), scale=scale, out=self.stdout).run()
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{n:,} {name}" for name, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Seeded {summary} in {elapsed:.1f}s."))

    def _print_logins(self) -> None:
        if not User.objects.filter(email=DEMO_LOGINS["manager"]).exists():
            self.stdout.write("No demo data is loaded, so there are no demo logins.")
            return
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for role, email in DEMO_LOGINS.items():
            self.stdout.write(f"  {role:<12} {email}")


class Seeder:
    def __init__(self, *, seed: int, scale: Scale, out: object) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.faker = Faker("en_GB")
        self.faker.seed_instance(seed)
        self.scale = scale
        self.out = out
        self.today = timezone.localdate()
        self.started = time.monotonic()
        # Pools keep national scale fast: Faker per row would dominate the run time.
        self.given = [self.faker.first_name() for _ in range(400)]
        self.family = [self.faker.last_name() for _ in range(600)]
        self.places = list(dict.fromkeys(self.faker.city() for _ in range(600)))

    def progress(self, message: str) -> None:
        elapsed = time.monotonic() - self.started
        self.out.write(f"  {elapsed:6.1f}s  {message}")  # type: ignore[attr-defined]

    @transaction.atomic
    def run(self) -> dict[str, int]:
        schemes = self.make_schemes()
        self.progress(f"{len(schemes)} schemes")
        users = self.make_staff(schemes)
        mentors = self.make_mentors(schemes)
        self.progress(f"{len(mentors):,} mentors")
        mentees = self.make_mentees(schemes)
        self.progress(f"{len(mentees):,} mentees")
        matches = self.make_relationships(schemes, mentors, mentees)
        life = ", ".join(f"{n:,} {name}" for name, n in self.life_counts.items())
        self.progress(f"{len(matches):,} relationships, with {life}")
        referrals = self.make_referrals(mentees, matches)
        self.progress(f"{referrals:,} referrals, with consent, steps and contact attempts")
        return {
            "schemes": len(schemes),
            "users": users + sum(1 for m in mentors if m.user_id),
            "mentors": len(mentors),
            "mentees": len(mentees),
            "relationships": len(matches),
            "referrals": referrals,
            **self.life_counts,
        }

    def make_schemes(self) -> list[Scheme]:
        schemes = []
        places = self.rng.sample(self.places, k=min(len(self.places), self.scale.schemes))
        for i in range(self.scale.schemes):
            kind, label = SCHEME_KINDS[i % len(SCHEME_KINDS)]
            place = places[i % len(places)]
            suffix = f" {i // len(places) + 1}" if i >= len(places) else ""
            capped = kind == Scheme.Kind.BAIL_SUPPORT  # e.g. twelve meetings over three months
            schemes.append(
                Scheme(
                    name=f"{place} {label}{suffix}",
                    kind=kind,
                    area=place,
                    cap_meetings=12 if capped else None,
                    cap_weeks=13 if capped else None,
                    review_interval_weeks=4 if capped else 6,
                )
            )
        schemes = Scheme.objects.bulk_create(schemes, batch_size=BATCH)
        year = self.today.year if self.today.month >= 4 else self.today.year - 1
        start, end = datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)
        Funding.objects.bulk_create(
            [
                Funding(
                    scheme=scheme,
                    funder=self.rng.choice(FUNDERS),
                    reference=f"G-{self.rng.randint(10000, 99999)}",
                    starts_on=datetime.date(year - 1, 4, 1),
                    ends_on=datetime.date(year + 2, 3, 31),
                )
                for scheme in schemes
            ],
            batch_size=BATCH,
        )
        per_scheme = max(1, self.scale.mentees // len(schemes))
        Target.objects.bulk_create(
            [
                Target(scheme=scheme, stage=stage, starts_on=start, ends_on=end, number=number)
                for scheme in schemes
                for stage, share in TARGET_SHARES
                if (number := round(per_scheme * share))
            ],
            batch_size=BATCH,
        )
        return schemes

    def make_staff(self, schemes: list[Scheme]) -> int:
        demo_hash = make_password(DEMO_PASSWORD)
        manager = User(email=DEMO_LOGINS["manager"], full_name="Morgan Adeyemi (demo manager)")
        coordinator = User(
            email=DEMO_LOGINS["coordinator"], full_name="Chris Okafor (demo coordinator)"
        )
        manager.password = coordinator.password = demo_hash
        others = []
        for i, scheme in enumerate(schemes):
            name = f"{self.rng.choice(self.given)} {self.rng.choice(self.family)}"
            others.append(
                User(
                    email=f"coordinator{i + 1}@{_domain(scheme)}",
                    full_name=name,
                    password=make_password(None),
                )
            )
        users = User.objects.bulk_create([manager, coordinator, *others], batch_size=BATCH)
        manager, coordinator, *others = users
        memberships = [
            Membership(user=manager, role=Role.MANAGER),
            # The demo coordinator runs the first two schemes, to show a multi-scheme dashboard.
            *[Membership(user=coordinator, role=Role.COORDINATOR, scheme=s) for s in schemes[:2]],
            *[
                Membership(user=u, role=Role.COORDINATOR, scheme=s)
                for u, s in zip(others, schemes, strict=True)
            ],
        ]
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        self.demo_password_hash = demo_hash
        self.coordinator_for = {s.pk: u for s, u in zip(schemes, others, strict=True)}
        for scheme in schemes[:2]:
            self.coordinator_for[scheme.pk] = coordinator
        return len(users)

    def make_mentors(self, schemes: list[Scheme]) -> list[Mentor]:
        """Most active and paused mentors have a login; people still in the pipeline, and
        those who left, do not. The pool's details and records come from demo.mentors."""
        pool = MentorPoolSeeder(seed=self.seed, today=self.today)
        people = []
        for i in range(self.scale.mentors):
            scheme = schemes[i % len(schemes)]
            given, family = self.rng.choice(self.given), self.rng.choice(self.family)
            if i == 0:  # the demo mentor: active, vetted, with mentees to show
                given, family = "Sam", "Reid (demo mentor)"
            profile = pool.profile(scheme=scheme, given=given, family=family, demo=i == 0)
            has_login = i == 0 or (
                self.rng.random() < 0.9
                and profile["status"] in (Mentor.Status.ACTIVE, Mentor.Status.PAUSED)
            )
            people.append((scheme, given, family, has_login, profile))

        accounts = []
        for i, (_scheme, given, family, has_login, profile) in enumerate(people):
            if not has_login:
                continue
            if i == 0:
                email, password = DEMO_LOGINS["mentor"], self.demo_password_hash
            else:
                email, password = f"mentor{i}@volunteers.example", make_password(None)
            profile["email"] = email
            accounts.append(User(email=email, full_name=f"{given} {family}", password=password))
        users = iter(User.objects.bulk_create(accounts, batch_size=BATCH))

        mentors, memberships = [], []
        for scheme, given, family, has_login, profile in people:
            user = next(users) if has_login else None
            mentors.append(
                Mentor(scheme=scheme, user=user, given_name=given, family_name=family, **profile)
            )
            if user is not None:
                memberships.append(Membership(user=user, role=Role.MENTOR, scheme=scheme))
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        mentors = Mentor.objects.bulk_create(mentors, batch_size=BATCH)
        records = pool.records(mentors)
        self.progress(", ".join(f"{n:,} {name}" for name, n in records.items()))
        return mentors

    def make_mentees(self, schemes: list[Scheme]) -> list[Mentee]:
        rng = self.rng
        mentees = []
        for i in range(self.scale.mentees):
            scheme = schemes[i % len(schemes)]
            age_days = rng.randint(18 * 365, 65 * 365)
            situation = self._situation(scheme)
            in_custody = situation == Situation.IN_CUSTODY
            assessed = rng.random() < 0.6
            mentees.append(
                Mentee(
                    scheme=scheme,
                    reference=f"T{i + 1:07d}",
                    given_name=rng.choice(self.given),
                    family_name=rng.choice(self.family),
                    date_of_birth=self.today - datetime.timedelta(days=age_days),
                    external_reference=f"A{rng.randint(1000, 9999)}{rng.choice('BCDF')}Z"
                    if in_custody
                    else "",
                    phone=f"07700 9{rng.randint(0, 99999):05d}" if rng.random() < 0.7 else "",
                    situation=situation,
                    establishment=rng.choice(PRISONS) if in_custody else "",
                    expected_release_on=self.today + datetime.timedelta(days=rng.randint(-5, 120))
                    if in_custody
                    else None,
                    next_court_date=self.today + datetime.timedelta(days=rng.randint(3, 90))
                    if situation == Situation.ON_BAIL
                    else None,
                    home_area=scheme.area,
                    knows_what_mentoring_is=self._readiness(assessed),
                    sees_it_as_worthwhile_now=self._readiness(assessed),
                    life_stable_enough=self._readiness(assessed),
                    recognises_lack_of_support=self._readiness(assessed),
                    readiness_assessed_on=self.today - datetime.timedelta(days=rng.randint(1, 300))
                    if assessed
                    else None,
                    needs=sorted(rng.sample(NeedDomain.values, k=rng.randint(1, 3))),
                    strengths=rng.choice(STRENGTHS),
                    preferred_language="Polish" if rng.random() < 0.03 else "",
                    wants_peer_mentor=rng.random() < 0.2,
                )
            )
        return Mentee.objects.bulk_create(mentees, batch_size=BATCH)

    def _situation(self, scheme: Scheme) -> str:
        if scheme.kind == Scheme.Kind.BAIL_SUPPORT:
            return Situation.ON_BAIL
        if scheme.kind == Scheme.Kind.RESETTLEMENT and self.rng.random() < 0.6:
            return Situation.IN_CUSTODY
        return Situation.COMMUNITY

    def _readiness(self, assessed: bool) -> str:
        if not assessed:
            return Readiness.NOT_ASKED
        return self.rng.choices([Readiness.YES, Readiness.PARTLY, Readiness.NO], weights=[5, 3, 2])[
            0
        ]

    def make_referrals(self, mentees: list[Mentee], matches: dict[int, Relationship]) -> int:
        """One referral per person, in proportions like the research found: most never get
        as far as a mentor. Matched people have consent and a referral that moved with
        their relationship."""
        rng = self.rng
        referrals, consents, restrictions, steps_for = [], [], [], []
        for mentee in mentees:
            by = self.coordinator_for[mentee.scheme_id]
            match = matches.get(mentee.pk)
            if match is not None:
                status = REFERRAL_FOR_RELATIONSHIP[match.status]
                referred_on = match.matched_on - datetime.timedelta(days=rng.randint(7, 60))
            else:
                status = rng.choices(UNMATCHED_STATUSES, UNMATCHED_WEIGHTS)[0]
                referred_on = self.today - datetime.timedelta(days=rng.randint(1, 540))
            path = REFERRAL_PATHS[status]
            dates = sorted(
                min(self.today, referred_on + datetime.timedelta(days=rng.randint(0, 40)))
                for _ in path
            )
            if match is not None:
                # The referral moved with the relationship: matched on the match date, active
                # on the first meeting held, ended on the closure date.
                first_met = self.first_met.get(mentee.pk)
                if first_met is None:
                    path = [s for s in path if s != RS.ACTIVE]
                at = path.index(RS.MATCHED)
                fixed = {
                    RS.MATCHED: match.matched_on,
                    RS.ACTIVE: first_met,
                    RS.ENDED: match.closed_on,
                }
                dates = sorted(min(d, match.matched_on) for d in dates[:at]) + [
                    fixed[s] for s in path[at:]
                ]
            exit_reason = ""
            if status in EXIT_REASONS:
                exit_reason = rng.choice(EXIT_REASONS[status])
            referrals.append(
                Referral(
                    mentee=mentee,
                    source=rng.choices(SOURCES, SOURCE_WEIGHTS)[0],
                    referrer_name=f"{rng.choice(self.given)} {rng.choice(self.family)}",
                    referrer_organisation=rng.choice(REFERRERS),
                    referred_on=referred_on,
                    reason=rng.choice(REASONS),
                    status=status,
                    exit_reason=exit_reason,
                    status_changed_on=dates[-1] if dates else referred_on,
                )
            )
            steps_for.append((path, dates, by, exit_reason))
            if Referral.Status.AWAITING_MATCH in path:
                consent_on = dates[path.index(Referral.Status.AWAITING_MATCH)]
                withdrawn = exit_reason == Referral.ExitReason.CONSENT_WITHDRAWN
                consents.append(
                    Consent(
                        mentee=mentee,
                        given_on=consent_on,
                        explained_by=by,
                        information_sheet_version="v3",
                        confirmed_voluntary=True,
                        confirmed_recording=True,
                        withdrawn_on=dates[-1] if withdrawn else None,
                        withdrawal_recorded_by=by if withdrawn else None,
                    )
                )
            if rng.random() < 0.1:
                kind, instruction = rng.choice(RESTRICTIONS)
                restrictions.append(
                    SafetyRestriction(
                        mentee=mentee,
                        kind=kind,
                        instruction=instruction,
                        assessment_notes="From the probation risk assessment.",
                        recorded_on=referred_on,
                        recorded_by=by,
                    )
                )
        referrals = Referral.objects.bulk_create(referrals, batch_size=BATCH)
        transitions, attempts = [], []
        for referral, (path, dates, by, exit_reason) in zip(referrals, steps_for, strict=True):
            previous = ""
            transitions.append(
                ReferralTransition(
                    referral=referral,
                    from_status="",
                    to_status=Referral.Status.REFERRED,
                    on=referral.referred_on,
                    by=by,
                )
            )
            previous = Referral.Status.REFERRED
            for status, on in zip(path, dates, strict=True):
                transitions.append(
                    ReferralTransition(
                        referral=referral,
                        from_status=previous,
                        to_status=status,
                        exit_reason=exit_reason if status == referral.status else "",
                        on=on,
                        by=by,
                    )
                )
                previous = status
            for _ in range(rng.choices([0, 1, 2, 3], [3, 4, 2, 1])[0]):
                attempts.append(
                    ContactAttempt(
                        referral=referral,
                        attempted_on=min(
                            self.today,
                            referral.referred_on + datetime.timedelta(days=rng.randint(0, 30)),
                        ),
                        channel=rng.choice(ContactAttempt.Channel.values),
                        outcome=rng.choices(ATTEMPT_OUTCOMES, ATTEMPT_WEIGHTS)[0],
                        by=by,
                    )
                )
            # Most people still waiting have been contacted lately; a few have been let slip,
            # which is what the watcher's "no recent contact attempt" flag is for.
            pre_match = (
                Referral.Status.REFERRED,
                Referral.Status.ASSESSING,
                Referral.Status.AWAITING_MATCH,
            )
            recent = random.Random(referral.pk)  # its own stream: the rest stays as it was
            if referral.status in pre_match and recent.random() < 0.8:
                attempts.append(
                    ContactAttempt(
                        referral=referral,
                        attempted_on=max(
                            referral.referred_on,
                            self.today - datetime.timedelta(days=recent.randint(0, 9)),
                        ),
                        channel=recent.choice(ContactAttempt.Channel.values),
                        outcome=recent.choices(ATTEMPT_OUTCOMES, ATTEMPT_WEIGHTS)[0],
                        by=by,
                    )
                )
        ReferralTransition.objects.bulk_create(transitions, batch_size=BATCH)
        ContactAttempt.objects.bulk_create(attempts, batch_size=BATCH)
        Consent.objects.bulk_create(consents, batch_size=BATCH)
        SafetyRestriction.objects.bulk_create(restrictions, batch_size=BATCH)
        return len(referrals)

    def make_relationships(
        self, schemes: list[Scheme], mentors: list[Mentor], mentees: list[Mentee]
    ) -> dict[int, Relationship]:
        """Matches, each with its whole life: meetings, goals, steps, reviews and pauses
        (demo/relationships.py). The demo mentor and the demo coordinator's schemes get
        one of each state and pattern first, so every page has something to show."""
        # Only people who got through vetting have ever mentored; open matches need an active
        # mentor with a place left, so much of the demand goes unmet, as the research found.
        by_scheme: dict[int, list[Mentor]] = {}
        for mentor in mentors:
            if mentor.first_active_on is not None:
                by_scheme.setdefault(mentor.scheme_id, []).append(mentor)
        places = {mentor.pk: mentor.capacity for mentor in mentors}
        statuses = [s for s, _ in RELATIONSHIP_OUTCOMES]
        weights = [w for _, w in RELATIONSHIP_OUTCOMES]
        planner = LifePlanner(rng=self.rng, today=self.today)
        demo_mentor = mentors[0]
        demo_cases = list(DEMO_MENTOR_CASES)
        showcase = {scheme.pk: list(SHOWCASE_CASES) for scheme in schemes[:2]}
        items = []
        for mentee in mentees:
            pool = by_scheme.get(mentee.scheme_id)
            free = []
            if showcase.get(mentee.scheme_id) and pool:
                free = [
                    m
                    for m in pool
                    if m is not demo_mentor and m.status == Mentor.Status.ACTIVE and places[m.pk]
                ]
            if mentee.scheme_id == demo_mentor.scheme_id and demo_cases:
                mentor, case = demo_mentor, demo_cases.pop(0)
            elif free:
                mentor, case = self.rng.choice(free), showcase[mentee.scheme_id].pop(0)
            elif pool and self.rng.random() < MATCHED_SHARE:
                mentor = self.rng.choice(pool)
                case = Case(self.rng.choices(statuses, weights)[0])
                if case.status != Relationship.Status.CLOSED and (
                    mentor.status != Mentor.Status.ACTIVE or places[mentor.pk] < 1
                ):
                    continue
            else:
                continue
            life = planner.plan(
                status=case.status,
                mentor=mentor,
                pattern=case.pattern,
                closure_type=case.closure_type,
                reopened=case.reopened,
            )
            if case.status != Relationship.Status.CLOSED:
                places[mentor.pk] -= 1
            items.append((mentee, mentor, life))
        seeder = RelationshipLifeSeeder(seed=self.seed, today=self.today)
        rows = seeder.write(
            items,
            coordinator_for={pk: user.pk for pk, user in self.coordinator_for.items()},
            schemes={scheme.pk: scheme for scheme in schemes},
        )
        self.life_counts = seeder.counts
        self.first_met = {mentee.pk: life.first_met for mentee, _, life in items}
        return {r.mentee_id: r for r in rows}


def _domain(scheme: Scheme) -> str:
    slug = "".join(c for c in scheme.name.lower() if c.isalnum())[:30]
    return f"{slug}.example"
