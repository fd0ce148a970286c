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

#: The referral's exit reason when an imported relationship closed unplanned: only where the
#: exit reason says no more than the file's closure reason. Closing in the app, a coordinator
#: picks the code knowing the case ("lost contact" is "no response to contact attempts");
#: a spreadsheet's "lost contact" does not say whether calls went unanswered or the person
#: left with no address, so the import records "other" (the relationship keeps the file's
#: own reason) rather than invent a more specific one.
IMPORTED_EXIT_FOR_CLOSURE: dict[str, str] = {
    CR.GOALS_ACHIEVED: ER.COMPLETED,
    CR.CUSTODY: ER.RETURNED_TO_CUSTODY,
    CR.MOVED_AWAY: ER.MOVED_AWAY,
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
