"""How a relationship's closure and a referral's exit translate into each other. (Which
status may follow which is ``relationships.transitions.STEPS``.)"""

from mentees.models import Referral
from relationships.models import Relationship

CR = Relationship.ClosureReason
ER = Referral.ExitReason

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
