"""The watcher's rules, as pure functions of plain facts.

Nothing here touches the database: ``flags.fact_queries`` loads the facts set-wise (a fixed
number of queries, whatever the number of relationships) and ``flags.sweep`` calls these.
Each rule returns a ``Finding`` with the evidence in plain words and the numbers behind it,
or ``None``. Thresholds come from the scheme (``Scheme.flag_*``), so a scheme can tune its
own rhythm.

One module per family of rule:

- ``never_started``: no first meeting, no contact after release
- ``petering_out``: silence, growing gaps, missed meetings, overdue review, flat scores
- ``mentor_drives``: the mentor starts the contacts; different views of who leads
- ``doing_for``: help done for the mentee; the mentee owning fewer steps
- ``running_on``: on too long with no ending plan; contact rising while progress is flat
- ``referrals``: waiting long for a match; no contact attempt; an offer not answered in time
- ``plans``: a planned meeting whose outcome is not recorded

and ``facts`` for what they read and return, ``wording`` for how they write their evidence,
``prompts`` for what the mentor sees instead.
"""

import datetime
from collections.abc import Callable

from flags.models import Kind
from flags.rules.doing_for import done_for, mentee_steps_falling
from flags.rules.facts import PAUSED, Finding, ReferralFacts, RelationshipFacts
from flags.rules.mentor_drives import driving_gap, mentor_driving
from flags.rules.never_started import no_contact_after_release, no_first_meeting
from flags.rules.petering_out import (
    gaps_growing,
    missed_meetings,
    review_overdue,
    scores_flat,
    silence,
)
from flags.rules.plans import plan_outcome_not_recorded
from flags.rules.referrals import no_contact_attempt, offer_not_answered, waiting_for_match
from flags.rules.running_on import contact_rising, too_long

RelationshipRule = Callable[[RelationshipFacts, datetime.date], Finding | None]
ReferralRule = Callable[[ReferralFacts, datetime.date], Finding | None]

#: Stalling rules are skipped for a paused relationship; dependency rules are not.
STALLING_RULES: dict[str, RelationshipRule] = {
    Kind.NO_FIRST_MEETING: no_first_meeting,
    Kind.NO_CONTACT_AFTER_RELEASE: no_contact_after_release,
    Kind.SILENCE: silence,
    Kind.GAPS_GROWING: gaps_growing,
    Kind.MISSED_MEETINGS: missed_meetings,
    Kind.REVIEW_OVERDUE: review_overdue,
    Kind.SCORES_FLAT: scores_flat,
    Kind.PLAN_OUTCOME_NOT_RECORDED: plan_outcome_not_recorded,
}
DEPENDENCY_RULES: dict[str, RelationshipRule] = {
    Kind.MENTOR_DRIVING: mentor_driving,
    Kind.DONE_FOR: done_for,
    Kind.TOO_LONG: too_long,
    Kind.CONTACT_RISING: contact_rising,
    Kind.MENTEE_STEPS_FALLING: mentee_steps_falling,
    Kind.DRIVING_GAP: driving_gap,
}
REFERRAL_RULES: dict[str, ReferralRule] = {
    Kind.WAITING_FOR_MATCH: waiting_for_match,
    Kind.NO_CONTACT_ATTEMPT: no_contact_attempt,
    Kind.OFFER_NOT_ANSWERED: offer_not_answered,
}


#: While no meeting has been held the relationship has not started, and it shows ONE flag
#: that explains it: the first of these that holds (each says what else it knows: what was
#: arranged, missed or is waiting for an outcome). Every other rule stands down until a
#: meeting is held: an overdue review, silence, missed meetings, flat scores or a dependency
#: mean nothing before a start and would only repeat the same news.
NOT_STARTED_RULES: dict[str, RelationshipRule] = {
    Kind.NO_CONTACT_AFTER_RELEASE: no_contact_after_release,
    Kind.NO_FIRST_MEETING: no_first_meeting,
    Kind.PLAN_OUTCOME_NOT_RECORDED: plan_outcome_not_recorded,
}


def findings_for_relationship(r: RelationshipFacts, today: datetime.date) -> list[Finding]:
    """Every relationship rule that holds; a paused relationship is not checked for stalling;
    one that never started (no meeting held) gets at most one flag (``NOT_STARTED_RULES``)."""
    if not r.held_count:
        if r.status == PAUSED:
            return []
        for rule in NOT_STARTED_RULES.values():
            if (finding := rule(r, today)) is not None:
                return [finding]
        return []
    rules = dict(DEPENDENCY_RULES)
    if r.status != PAUSED:
        rules.update(STALLING_RULES)
    found = []
    for rule in rules.values():
        finding = rule(r, today)
        if finding is not None:
            found.append(finding)
    return found


def findings_for_referral(f: ReferralFacts, today: datetime.date) -> list[Finding]:
    """Every referral rule that holds."""
    found = []
    for rule in REFERRAL_RULES.values():
        finding = rule(f, today)
        if finding is not None:
            found.append(finding)
    return found
