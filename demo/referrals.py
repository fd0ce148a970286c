"""Synthetic referrals for ``seed_demo``: one per person, in proportions like the research
found (most never get as far as a mentor), with consent, safety restrictions and contact
attempts.

Each referral is created by the referral pipeline's batch form
(``mentees.transitions.referrals_transition_many``) with where its steps leave it: the batch
checks them and writes the dated transitions and audit events the app writes. Their ids are
counted here, in the order the people were made, as the database would have given them.

A matched person's referral stops at "awaiting a match": the relationship's own steps move
it on (matched, active, ended), as matching, the first meeting and closing do in the app
(demo/relationships.py).
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass

from accounts.models import User
from demo.lives import Life
from demo.rows import Ids
from mentees.models import Consent, ContactAttempt, Mentee, Referral, SafetyRestriction, Situation
from mentees.models import RestrictionKind as RK
from mentees.transitions import EXIT_REASONS, ReferralStep, referrals_transition_many
from relationships.models import Relationship

BATCH = 5000
RS = Referral.Status
DAY = datetime.timedelta(days=1)
# The steps after "referred" that lead to each status.
REFERRAL_PATHS: dict[str, list[str]] = {
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
REFERRAL_FOR_RELATIONSHIP: dict[str, str] = {
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
RESTRICTIONS = [
    (RK.PUBLIC_PLACES_ONLY, "Meet only in public places."),
    (RK.NO_HOME_VISITS, "No home visits."),
    (RK.NO_LONE_MEETINGS, "Meet only with a second person present."),
]
ATTEMPT_OUTCOMES = list(ContactAttempt.Outcome.values)
CHANNELS_IN_CUSTODY = list(ContactAttempt.Channel.values)
#: Nobody is visited in custody unless they are in custody.
CHANNELS = [c for c in CHANNELS_IN_CUSTODY if c != ContactAttempt.Channel.CUSTODY_VISIT]
ATTEMPT_WEIGHTS = [40, 25, 20, 5, 5, 5]
PRE_MATCH = (RS.REFERRED, RS.ASSESSING, RS.AWAITING_MATCH)
#: How long ago people still in the pipeline were referred (days, fewest and most), and how
#: many days their steps so far took at most: days and weeks, as a scheme that keeps its
#: waiting list moving would show. Referrals that stopped are spread over a year and a half.
RECENT: dict[str, tuple[int, int, int]] = {
    RS.REFERRED: (0, 14, 0),
    RS.ASSESSING: (3, 35, 10),
    RS.AWAITING_MATCH: (7, 90, 25),
}
STOPPED = (1, 540, 40)


@dataclass
class Planned:
    """One referral before it is written: where it will end up, and its own steps."""

    referral: Referral
    status: str
    steps: list[tuple[str, datetime.date]]
    exit_reason: str
    by: User


class ReferralSeeder:
    def __init__(
        self,
        *,
        rng: random.Random,
        today: datetime.date,
        names: tuple[list[str], list[str]],
        coordinator_for: dict[int, User],
    ) -> None:
        self.rng = rng
        self.today = today
        self.given, self.family = names
        self.coordinator_for = coordinator_for
        self.ids = Ids([Referral])

    def write(self, mentees: list[Mentee], lives: dict[int, Life]) -> dict[int, int]:
        """Create every person's referral, with consent and restrictions, take it through
        its steps up to where a relationship takes over, and add the contact attempts.
        ``lives`` are the matched people's relationships, by mentee id. Returns the
        referrals' ids by mentee id."""
        planned, consents, restrictions = [], [], []
        for mentee in mentees:
            plan = self._plan(mentee, lives.get(mentee.pk))
            planned.append(plan)
            consent = self._consent(mentee, plan)
            if consent is not None:
                consents.append(consent)
            if self.rng.random() < 0.1:
                restrictions.append(self._restriction(mentee, plan))
        self._take_steps(planned)
        self.ids.reset_sequences()
        attempts = [a for plan in planned for a in self._attempts(plan)]
        ContactAttempt.objects.bulk_create(attempts, batch_size=BATCH)
        Consent.objects.bulk_create(consents, batch_size=BATCH)
        SafetyRestriction.objects.bulk_create(restrictions, batch_size=BATCH)
        return {p.referral.mentee_id: p.referral.pk for p in planned}

    def _plan(self, mentee: Mentee, life: Life | None) -> Planned:
        """Where the referral ends up and the days of its steps. A matched person's steps
        after waiting are the relationship's: matched on the match date, active on the first
        meeting held, ended on the closure date."""
        rng, today = self.rng, self.today
        if life is not None:
            status = REFERRAL_FOR_RELATIONSHIP[life.state]
            referred_on = life.matched_on - DAY * rng.randint(7, 60)
            spread = 40
        else:
            status = rng.choices(UNMATCHED_STATUSES, UNMATCHED_WEIGHTS)[0]
            low, high, spread = RECENT.get(status, STOPPED)
            referred_on = today - DAY * rng.randint(low, high)
        path = REFERRAL_PATHS[status]
        dates = sorted(min(today, referred_on + DAY * rng.randint(0, spread)) for _ in path)
        if life is not None:
            at = path.index(RS.MATCHED)
            path = path[:at]
            dates = sorted(min(d, life.matched_on) for d in dates[:at])
        exit_reason = rng.choice(EXIT_REASONS[status]) if status in EXIT_REASONS else ""
        referral = Referral(
            id=self.ids(Referral),
            mentee=mentee,
            source=rng.choices(SOURCES, SOURCE_WEIGHTS)[0],
            referrer_name=f"{rng.choice(self.given)} {rng.choice(self.family)}",
            referrer_organisation=rng.choice(REFERRERS),
            referred_on=referred_on,
            reason=rng.choice(REASONS),
            status_changed_on=referred_on,
        )
        by = self.coordinator_for[mentee.scheme_id]
        return Planned(referral, status, list(zip(path, dates, strict=True)), exit_reason, by)

    def _consent(self, mentee: Mentee, plan: Planned) -> Consent | None:
        """Nobody waits for a match without informed consent on record."""
        days = dict(plan.steps)
        if RS.AWAITING_MATCH not in days:
            return None
        withdrawn = plan.exit_reason == Referral.ExitReason.CONSENT_WITHDRAWN
        return Consent(
            mentee=mentee,
            given_on=days[RS.AWAITING_MATCH],
            explained_by=plan.by,
            information_sheet_version="v3",
            confirmed_voluntary=True,
            confirmed_recording=True,
            withdrawn_on=plan.steps[-1][1] if withdrawn else None,
            withdrawal_recorded_by=plan.by if withdrawn else None,
        )

    def _restriction(self, mentee: Mentee, plan: Planned) -> SafetyRestriction:
        kind, instruction = self.rng.choice(RESTRICTIONS)
        return SafetyRestriction(
            mentee=mentee,
            kind=kind,
            instruction=instruction,
            assessment_notes="From the probation risk assessment.",
            recorded_on=plan.referral.referred_on,
            recorded_by=plan.by,
        )

    def _take_steps(self, planned: list[Planned]) -> None:
        """Create every referral through its steps, from "referred" on, a batch per
        coordinator (who took them); a step into a stop carries its reason."""
        by_coordinator: dict[User, list[ReferralStep]] = defaultdict(list)
        for plan in planned:
            referral = plan.referral
            steps = by_coordinator[plan.by]
            steps.append(ReferralStep(referral, RS.REFERRED, referral.referred_on, first=True))
            for status, on in plan.steps:
                reason = plan.exit_reason if status == plan.status else ""
                steps.append(ReferralStep(referral, status, on, exit_reason=reason))
        for by, steps in by_coordinator.items():
            referrals_transition_many(by=by, steps=steps)

    def _attempts(self, plan: Planned) -> list[ContactAttempt]:
        """A few attempts to reach the person soon after the referral. Most people still
        waiting have been contacted lately; a few have been let slip, which is what the
        watcher's "no recent contact attempt" flag is for."""
        rng, referral = self.rng, plan.referral
        attempts = []
        for _ in range(rng.choices([0, 1, 2, 3], [3, 4, 2, 1])[0]):
            attempted_on = min(self.today, referral.referred_on + DAY * rng.randint(0, 30))
            attempts.append(self._attempt(rng, referral, attempted_on, plan.by))
        recent = random.Random(referral.pk)  # its own stream: the rest stays as it was
        if plan.status in PRE_MATCH and recent.random() < 0.8:
            attempted_on = max(referral.referred_on, self.today - DAY * recent.randint(0, 9))
            attempts.append(self._attempt(recent, referral, attempted_on, plan.by))
        return attempts

    @staticmethod
    def _attempt(
        rng: random.Random, referral: Referral, on: datetime.date, by: User
    ) -> ContactAttempt:
        return ContactAttempt(
            referral=referral,
            attempted_on=on,
            channel=rng.choice(
                CHANNELS_IN_CUSTODY
                if referral.mentee.situation == Situation.IN_CUSTODY
                else CHANNELS
            ),
            outcome=rng.choices(ATTEMPT_OUTCOMES, ATTEMPT_WEIGHTS)[0],
            by=by,
        )
