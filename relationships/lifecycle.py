"""The relationship's life in tables: which status may follow which, and how a closure and a
referral's exit translate into each other. Kept apart from the services so that both
``relationships.services`` and ``mentees.services`` can read them without importing each
other."""

from mentees.models import Referral
from relationships.models import Relationship

S = Relationship.Status
CR = Relationship.ClosureReason
ER = Referral.ExitReason

#: Each step of a relationship's life: the statuses it may be taken from, and where it goes.
#: The first meeting makes an introduced relationship active (logged with the meeting).
#: Resuming goes back to the status before the pause. An exit plan is agreed on an active
#: relationship (resume a paused one first). A closed one can be reopened, and comes back
#: active.
STEPS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "first_meeting": ((S.INTRODUCED,), S.ACTIVE),
    "pause": ((S.INTRODUCED, S.ACTIVE, S.ENDING), S.PAUSED),
    "resume": ((S.PAUSED,), None),
    "agree_ending": ((S.ACTIVE,), S.ENDING),
    "close": ((S.INTRODUCED, S.ACTIVE, S.PAUSED, S.ENDING), S.CLOSED),
    "reopen": ((S.CLOSED,), S.ACTIVE),
}


def can_take(step: str, status: str) -> bool:
    """May a relationship in ``status`` take ``step``?"""
    return status in STEPS[step][0]


#: The referral's exit reason when its relationship closes unplanned. A planned closure is
#: always "mentoring completed", whatever the coded reason.
REFERRAL_EXIT_FOR_CLOSURE: dict[str, str] = {
    CR.GOALS_ACHIEVED: ER.COMPLETED,
    CR.MENTEE_WITHDREW: ER.NOT_INTERESTED,
    CR.LOST_CONTACT: ER.NO_RESPONSE,
    CR.CUSTODY: ER.RETURNED_TO_CUSTODY,
    CR.MENTOR_LEFT: ER.OTHER,
    CR.MOVED_AWAY: ER.MOVED_AWAY,
    CR.SCHEME_RULES: ER.OUTSIDE_CRITERIA,
    CR.OTHER: ER.OTHER,
}

#: The other way round: a referral that stops by hand (or whose consent is withdrawn)
#: closes its relationship unplanned, with this coded reason. "unmatched" is a coordinator
#: sending the person back to wait for another mentor.
CLOSURE_FOR_REFERRAL_EXIT: dict[str, str] = {
    ER.NOT_INTERESTED: CR.MENTEE_WITHDREW,
    ER.ALREADY_SUPPORTED: CR.MENTEE_WITHDREW,
    ER.BAD_TIMING: CR.MENTEE_WITHDREW,
    ER.CONSENT_WITHDRAWN: CR.MENTEE_WITHDREW,
    ER.MOVED_AWAY: CR.MOVED_AWAY,
    ER.RETURNED_TO_CUSTODY: CR.CUSTODY,
    ER.RISK_TOO_HIGH: CR.SCHEME_RULES,
    ER.NEEDS_SPECIALIST: CR.SCHEME_RULES,
    ER.OUTSIDE_CRITERIA: CR.SCHEME_RULES,
    ER.TOO_SHORT: CR.SCHEME_RULES,
    ER.NO_RESPONSE: CR.LOST_CONTACT,
    ER.NO_ADDRESS: CR.LOST_CONTACT,
    ER.COMPLETED: CR.GOALS_ACHIEVED,
    ER.OTHER: CR.OTHER,
    "unmatched": CR.REMATCHED,
}
