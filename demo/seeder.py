"""The demo data as a whole, for ``seed_demo``: schemes with their funding and targets, staff,
a mentor pool, people referred, their referrals and relationships, in that order, from one
seed. Each part is in its own module: demo/places.py (where schemes work), demo/mentors.py,
demo/mentees.py, demo/cases.py (who is matched, and how it goes), demo/referrals.py,
demo/relationships.py.

Every status is set by the app's own transition functions, in their batch forms, so the
demo's change rows and audit events are the ones the app writes (the history of a person
is audited as the coordinator of their scheme doing it). Everything is written in batches,
so the national scale (200 schemes, 5,000 mentors, 60,000 mentees) builds in minutes. The
data is invented: names come from Faker, never from real records.
"""

import base64
import datetime
import random
import time
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.management.base import OutputWrapper
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from accounts.models import Membership, Role, User
from demo.cases import Cases
from demo.concerns import ConcernSeeder
from demo.lives import Life, LifePlanner
from demo.mentees import MenteeMaker
from demo.mentors import MentorPoolSeeder
from demo.offers import seed_offers
from demo.places import PATCHES, Patch
from demo.planned import seed_plans
from demo.referrals import ReferralSeeder
from demo.relationships import RelationshipLifeSeeder
from mentees.models import Mentee
from relationships.models import Relationship
from reports.quarters import quarter_end
from schemes.models import Funding, FunnelStage, Mentor, Scheme, Target

DEMO_PASSWORD = "demo-password-1"  # noqa: S105  (printed by make run; demo data only)
DEMO_LOGINS = {
    "manager": "manager@demo.tandem.example",
    "coordinator": "coordinator@demo.tandem.example",
    "mentor": "mentor@demo.tandem.example",
}
BATCH = 5000


def demo_second_factor_key(email: str) -> str | None:
    """The key of a demo login's authenticator app, as an app asks for it (base32, in
    groups of four), or None. Only for the demo logins: nothing reads another account's."""
    if email not in DEMO_LOGINS.values():
        return None
    device = TOTPDevice.objects.filter(user__email=email, confirmed=True).first()
    if device is None:
        return None
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@dataclass(frozen=True)
class Scale:
    schemes: int
    mentors: int
    mentees: int


SCALES = {
    "demo": Scale(schemes=3, mentors=60, mentees=300),
    "national": Scale(schemes=200, mentors=5_000, mentees=60_000),
}

SCHEME_KINDS = [
    (Scheme.Kind.RESETTLEMENT, "Resettlement"),
    (Scheme.Kind.BAIL_SUPPORT, "Bail Support"),
    (Scheme.Kind.COMMUNITY, "Community Mentoring"),
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


class Seeder:
    def __init__(self, *, seed: int, scale: Scale, out: OutputWrapper) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.faker = Faker("en_GB")
        self.faker.seed_instance(seed)
        self.scale = scale
        self.out = out
        self.today = timezone.localdate()
        self.started = time.monotonic()
        # Pools keep national scale fast: Faker per row would dominate the run time.
        # Women's and men's names apart: people in custody are held in the women's or the
        # men's estate, and a name should not say otherwise.
        self.women = [self.faker.first_name_female() for _ in range(200)]
        self.men = [self.faker.first_name_male() for _ in range(200)]
        self.given = self.women + self.men
        self.family = [self.faker.last_name() for _ in range(600)]
        self.coordinator_for: dict[int, User] = {}
        self.patch_for: dict[int, Patch] = {}
        self.demo_password_hash = ""
        self.lives = RelationshipLifeSeeder(seed=seed, today=self.today)

    def progress(self, message: str) -> None:
        elapsed = time.monotonic() - self.started
        self.out.write(f"  {elapsed:6.1f}s  {message}")

    @transaction.atomic
    def run(self) -> dict[str, int]:
        schemes = self.make_schemes()
        self.progress(f"{len(schemes)} schemes")
        users = self.make_staff(schemes)
        mentors = self.make_mentors(schemes)
        self.progress(f"{len(mentors):,} mentors")
        maker = MenteeMaker(
            rng=self.rng, today=self.today, names=(self.women, self.men, self.family)
        )
        mentees = maker.make(schemes, self.scale.mentees, self.patch_for)
        self.progress(f"{len(mentees):,} mentees")
        lives = self.make_relationships(schemes, mentors, mentees)
        self.progress(f"{len(lives):,} relationships planned, with their meetings")
        referrals = ReferralSeeder(
            rng=self.rng,
            today=self.today,
            names=(self.given, self.family),
            coordinator_for=self.coordinator_for,
        ).write(mentees, lives)
        self.progress(f"{len(referrals):,} referrals, with consent, steps and contact attempts")
        self.lives.finish(referral_for=referrals)
        life = ", ".join(f"{n:,} {name}" for name, n in self.lives.counts.items())
        self.progress(f"{len(lives):,} relationships, with {life}")
        offers = seed_offers(
            schemes=schemes[:2], demo_mentor=mentors[0], coordinator_for=self.coordinator_for
        )
        self.progress(", ".join(f"{n:,} {name}" for name, n in offers.items()))
        concerns = ConcernSeeder(
            coordinator_for=self.coordinator_for,
            demo_mentor_email=DEMO_LOGINS["mentor"],
        ).write()
        self.progress(f"{concerns['concerns']} concerns, one in each state")
        plans = seed_plans(
            schemes=schemes[:2], demo_mentor=mentors[0], coordinator_for=self.coordinator_for
        )
        self.progress(", ".join(f"{n:,} {name}" for name, n in plans.items()))
        return {
            "schemes": len(schemes),
            "users": users + sum(1 for m in mentors if m.user_id),
            "mentors": len(mentors),
            "mentees": len(mentees),
            "relationships": len(lives),
            "referrals": len(referrals),
            **self.lives.counts,
            **offers,
            **concerns,
            **plans,
        }

    def make_schemes(self) -> list[Scheme]:
        """Schemes of each kind, each in its own town (demo/places.py); at national scale a
        town has several, numbered."""
        schemes = []
        first = self.rng.randrange(len(PATCHES))
        combinations = len(PATCHES) * len(SCHEME_KINDS)  # co-prime: every pair comes once
        for i in range(self.scale.schemes):
            kind, label = SCHEME_KINDS[i % len(SCHEME_KINDS)]
            patch = PATCHES[(first + i) % len(PATCHES)]
            suffix = f" {i // combinations + 1}" if i >= combinations else ""
            capped = kind == Scheme.Kind.BAIL_SUPPORT  # e.g. twelve meetings over three months
            schemes.append(
                Scheme(
                    name=f"{patch.town} {label}{suffix}",
                    kind=kind,
                    area=f"{patch.town} ({patch.area} postcodes)",
                    cap_meetings=12 if capped else None,
                    cap_weeks=13 if capped else None,
                    review_interval_weeks=4 if capped else 6,
                )
            )
        schemes = Scheme.objects.bulk_create(schemes, batch_size=BATCH)
        self.patch_for = {
            scheme.pk: PATCHES[(first + i) % len(PATCHES)] for i, scheme in enumerate(schemes)
        }
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
        # Last year's targets (over) and this year's (running), and this year's referrals
        # quarter by quarter: the funder report compares each with what happened.
        years = [(start.replace(year=year - 1), end.replace(year=year)), (start, end)]
        quarters = [datetime.date(year, 4, 1), datetime.date(year, 7, 1)]
        quarters += [datetime.date(year, 10, 1), datetime.date(year + 1, 1, 1)]
        Target.objects.bulk_create(
            [
                Target(scheme=scheme, stage=stage, starts_on=first, ends_on=last, number=number)
                for scheme in schemes
                for first, last in years
                for stage, share in TARGET_SHARES
                if (number := round(per_scheme * share))
            ]
            + [
                Target(
                    scheme=scheme,
                    stage=FunnelStage.REFERRED,
                    starts_on=first,
                    ends_on=quarter_end(first),
                    number=max(1, round(per_scheme / 4)),
                )
                for scheme in schemes
                for first in quarters
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
        # Staff must give a code from an app after their password. Each demo staff login gets
        # an app whose key is drawn at random now (not from the seed: no key is published),
        # printed with the demo logins by `make run` to type into any authenticator app.
        for user in (manager, coordinator):
            TOTPDevice.objects.create(user=user, name="Demo authenticator app", confirmed=True)
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
            profile, plan = pool.profile(
                given=given, family=family, demo=i == 0, patch=self.patch_for[scheme.pk]
            )
            has_login = i == 0 or (
                self.rng.random() < 0.9
                and plan.status in (Mentor.Status.ACTIVE, Mentor.Status.PAUSED)
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
        records = pool.records(mentors, self.patch_for)
        steps = pool.steps(mentors, coordinator_for=self.coordinator_for)
        pool.self_service(mentors[0])
        counts = {"mentor status changes": steps, **records}
        self.progress(", ".join(f"{n:,} {name}" for name, n in counts.items()))
        return mentors

    def make_relationships(
        self, schemes: list[Scheme], mentors: list[Mentor], mentees: list[Mentee]
    ) -> dict[int, Life]:
        """Matches, each with its whole life: meetings, goals, steps, reviews and pauses
        (demo/relationships.py; the relationships themselves are created by ``run`` once the
        referrals exist). The demo mentor and the demo coordinator's schemes get one of each
        state and pattern first, so every page has something to show. Returns each match's
        life by mentee id."""
        # Only people who got through vetting have ever mentored; open matches need an active
        # mentor with a place left, so much of the demand goes unmet, as the research found.
        by_scheme: dict[int, list[Mentor]] = {}
        for mentor in mentors:
            if mentor.first_active_on is not None:
                by_scheme.setdefault(mentor.scheme_id, []).append(mentor)
        places = {mentor.pk: mentor.capacity for mentor in mentors}
        planner = LifePlanner(rng=self.rng, today=self.today)
        cases = Cases(demo_mentor=mentors[0], showcase_schemes=schemes[:2], places=places)
        items = []
        for mentee in mentees:
            match = cases.next(self.rng, mentee, by_scheme.get(mentee.scheme_id))
            if match is None:
                continue
            mentor, case = match
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
        self.lives.write(
            items,
            coordinator_for=self.coordinator_for,
            schemes={scheme.pk: scheme for scheme in schemes},
        )
        return {mentee.pk: life for mentee, _, life in items}


def _domain(scheme: Scheme) -> str:
    slug = "".join(c for c in scheme.name.lower() if c.isalnum())[:30]
    return f"{slug}.example"
