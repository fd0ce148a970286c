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
from mentees.models import Mentee
from relationships.models import Relationship
from schemes.models import Mentor, Scheme
from schemes.seeding import MentorPoolSeeder

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
        # Pools keep national scale fast: Faker per row would dominate the run time.
        self.given = [self.faker.first_name() for _ in range(400)]
        self.family = [self.faker.last_name() for _ in range(600)]
        self.places = list(dict.fromkeys(self.faker.city() for _ in range(600)))

    def progress(self, message: str) -> None:
        self.out.write(f"  {message}")  # type: ignore[attr-defined]

    @transaction.atomic
    def run(self) -> dict[str, int]:
        schemes = self.make_schemes()
        self.progress(f"{len(schemes)} schemes")
        users = self.make_staff(schemes)
        mentors = self.make_mentors(schemes)
        self.progress(f"{len(mentors):,} mentors")
        mentees = self.make_mentees(schemes)
        self.progress(f"{len(mentees):,} mentees")
        relationships = self.make_relationships(schemes, mentors, mentees)
        self.progress(f"{relationships:,} relationships")
        return {
            "schemes": len(schemes),
            "users": users + sum(1 for m in mentors if m.user_id),
            "mentors": len(mentors),
            "mentees": len(mentees),
            "relationships": relationships,
        }

    def make_schemes(self) -> list[Scheme]:
        schemes = []
        places = self.rng.sample(self.places, k=min(len(self.places), self.scale.schemes))
        for i in range(self.scale.schemes):
            kind, label = SCHEME_KINDS[i % len(SCHEME_KINDS)]
            place = places[i % len(places)]
            suffix = f" {i // len(places) + 1}" if i >= len(places) else ""
            schemes.append(Scheme(name=f"{place} {label}{suffix}", kind=kind, area=place))
        return Scheme.objects.bulk_create(schemes, batch_size=BATCH)

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
        return len(users)

    def make_mentors(self, schemes: list[Scheme]) -> list[Mentor]:
        """Most active and paused mentors have a login; people still in the pipeline, and
        those who left, do not. The pool's details and records come from schemes.seeding."""
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
        mentees = []
        for i in range(self.scale.mentees):
            age_days = self.rng.randint(18 * 365, 65 * 365)
            mentees.append(
                Mentee(
                    scheme=schemes[i % len(schemes)],
                    reference=f"T{i + 1:06d}",
                    given_name=self.rng.choice(self.given),
                    family_name=self.rng.choice(self.family),
                    date_of_birth=self.today - datetime.timedelta(days=age_days),
                )
            )
        return Mentee.objects.bulk_create(mentees, batch_size=BATCH)

    def make_relationships(
        self, schemes: list[Scheme], mentors: list[Mentor], mentees: list[Mentee]
    ) -> int:
        # Only people who got through vetting have ever mentored; open matches need an active
        # mentor with a place left, so much of the demand goes unmet, as the research found.
        by_scheme: dict[int, list[Mentor]] = {}
        for mentor in mentors:
            if mentor.first_active_on is not None:
                by_scheme.setdefault(mentor.scheme_id, []).append(mentor)
        places = {mentor.pk: mentor.capacity for mentor in mentors}
        statuses = [s for s, _ in RELATIONSHIP_OUTCOMES]
        weights = [w for _, w in RELATIONSHIP_OUTCOMES]
        demo_mentor = mentors[0]
        rows = []
        for i, mentee in enumerate(mentees):
            pool = by_scheme.get(mentee.scheme_id)
            # The demo mentor always has a few mentees to show.
            if i < 3 * len(schemes) and mentee.scheme_id == demo_mentor.scheme_id:
                mentor, status = demo_mentor, Relationship.Status.ACTIVE
            elif pool and self.rng.random() < MATCHED_SHARE:
                mentor = self.rng.choice(pool)
                status = self.rng.choices(statuses, weights)[0]
                if status != Relationship.Status.CLOSED and (
                    mentor.status != Mentor.Status.ACTIVE or places[mentor.pk] < 1
                ):
                    continue
            else:
                continue
            matched_on = self.today - datetime.timedelta(days=self.rng.randint(1, 540))
            matched_on = max(matched_on, mentor.first_active_on)
            closed_on = None
            if status == Relationship.Status.CLOSED:
                closed_on = min(
                    self.today, matched_on + datetime.timedelta(days=self.rng.randint(7, 200))
                )
                if mentor.status == Mentor.Status.LEFT:  # ended by the day they left
                    matched_on = min(matched_on, mentor.status_since)
                    closed_on = min(closed_on, mentor.status_since)
            else:
                places[mentor.pk] -= 1
            rows.append(
                Relationship(
                    mentee=mentee,
                    mentor=mentor,
                    status=status,
                    matched_on=matched_on,
                    closed_on=closed_on,
                )
            )
        Relationship.objects.bulk_create(rows, batch_size=BATCH)
        return len(rows)


def _domain(scheme: Scheme) -> str:
    slug = "".join(c for c in scheme.name.lower() if c.isalnum())[:30]
    return f"{slug}.example"
