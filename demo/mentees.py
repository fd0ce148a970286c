"""Synthetic people referred for mentoring, for ``seed_demo``: their situation (in custody,
on bail, in the community), where they live (a postcode district of their scheme's town) and
which of its prisons they are in, readiness, needs, strengths, free times and interests, and
(for fewer than half) their equality answers (demo/equality.py).
People in custody are held in the men's estate, or (one in ten, more than the real one in
twenty so the demo shows some) in a women's prison, with names to match. Their referrals are
made by demo/referrals.py."""

import datetime
import random

from demo.equality import equality_answers
from demo.mentors import INTERESTS
from demo.places import Patch, district_in
from mentees.models import AVAILABILITY_CHOICES, Mentee, NeedDomain, Readiness, Situation
from schemes.models import Scheme

BATCH = 5000
WOMEN_IN_CUSTODY = 0.1
FREE_TIMES = [code for code, _ in AVAILABILITY_CHOICES]
STRENGTHS = [
    "Good with my hands, I like fixing things.",
    "I'm a good parent when I get the chance.",
    "Determined. I got through rehab before.",
    "I like cooking and I'm good with people.",
    "",
]


class MenteeMaker:
    def __init__(
        self,
        *,
        rng: random.Random,
        today: datetime.date,
        names: tuple[list[str], list[str], list[str]],
    ) -> None:
        """``names``: women's given names, men's given names, family names."""
        self.rng = rng
        self.today = today
        self.women, self.men, self.family = names

    def make(self, schemes: list[Scheme], count: int, patches: dict[int, Patch]) -> list[Mentee]:
        """``count`` people referred, spread over the schemes in turn; ``patches`` gives each
        scheme's town, districts and prisons by scheme id."""
        rng = self.rng
        # The equality answers' own streams follow the seed without drawing from ``rng``.
        # (The state's whole numbers only: a tuple of ints hashes the same in every process.)
        salt = hash(rng.getstate()[1]) % 10**9
        mentees = []
        for i in range(count):
            scheme = schemes[i % len(schemes)]
            patch = patches[scheme.pk]
            age_days = rng.randint(18 * 365, 65 * 365)
            situation = self._situation(scheme)
            in_custody = situation == Situation.IN_CUSTODY
            woman = rng.random() < (WOMEN_IN_CUSTODY if in_custody else 0.5)
            prison = ""
            if in_custody:
                prison = patch.womens_prison if woman else rng.choice(patch.prisons)
            assessed = rng.random() < 0.6
            mentees.append(
                Mentee(
                    scheme=scheme,
                    reference=f"T{i + 1:07d}",
                    given_name=rng.choice(self.women if woman else self.men),
                    family_name=rng.choice(self.family),
                    date_of_birth=self.today - datetime.timedelta(days=age_days),
                    external_reference=f"A{rng.randint(1000, 9999)}{rng.choice('BCDF')}Z"
                    if in_custody
                    else "",
                    phone=f"07700 9{rng.randint(0, 99999):05d}" if rng.random() < 0.7 else "",
                    situation=situation,
                    establishment=prison,
                    expected_release_on=self.today + datetime.timedelta(days=rng.randint(-5, 120))
                    if in_custody
                    else None,
                    next_court_date=self.today + datetime.timedelta(days=rng.randint(3, 90))
                    if situation == Situation.ON_BAIL
                    else None,
                    home_area=district_in(patch, rng.random(), rng.randrange(1000)),
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
                    availability=sorted(
                        rng.sample(FREE_TIMES, k=rng.randint(2, 6)), key=FREE_TIMES.index
                    ),
                    interests=rng.sample(INTERESTS, k=rng.randint(0, 3)),
                    **equality_answers(key=f"{salt}:{i}", woman=woman, today=self.today),
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
