"""The hard constraints of matching: what excludes a mentor, each with why, so a coordinator
sees what would need to change. The mentor pool's own rules
(``schemes.mentors.selectors.mentor_matchability``: active, DBS valid, not away, a place left,
cleared for the mentee's prison while they are in custody), the mentee's safety restrictions
about a mentor's gender, and what the mentee asked for (a mentor of a gender they name; a
language they need). What cannot be checked is listed for the coordinator to check by hand.
"""

import datetime

from mentees.models import Mentee, RestrictionKind, SafetyRestriction, Situation
from relationships.matching.text import gender_classes, mentor_gender, words_by_key
from schemes.mentors.selectors import mentor_matchability
from schemes.models import Mentor


def custody_establishment(mentee: Mentee) -> str | None:
    """The prison a mentor must be cleared for: only while the mentee is in custody."""
    if mentee.situation == Situation.IN_CUSTODY and mentee.establishment.strip():
        return mentee.establishment.strip()
    return None


def hard_reasons(
    *,
    mentee: Mentee,
    mentor: Mentor,
    restrictions: list[SafetyRestriction],
    on: datetime.date,
) -> list[str]:
    """Every reason ``mentor`` cannot be matched with ``mentee`` on ``on``; empty if none."""
    reasons = list(
        mentor_matchability(
            mentor=mentor, on=on, establishment=custody_establishment(mentee)
        ).reasons
    )
    gender = mentor_gender(mentor)
    barred: dict[str, str] = {
        RestrictionKind.NO_FEMALE_MENTOR: "female",
        RestrictionKind.NO_MALE_MENTOR: "male",
    }
    for restriction in restrictions:
        if restriction.kind not in barred:
            continue
        label = restriction.get_kind_display().lower()
        if gender is None:
            reasons.append(
                f"Safety restriction “{label}”: their gender is not recorded, so it cannot "
                "be confirmed."
            )
        elif gender == barred[restriction.kind]:
            reasons.append(f"Safety restriction: {label}.")

    asked = mentee.preferred_mentor_gender.strip()
    wanted = gender_classes(asked)
    if wanted:
        if gender is None:
            reasons.append(
                f"The mentee asked for a mentor who is “{asked}”; this mentor's gender is not "
                "recorded, so it cannot be confirmed."
            )
        elif gender not in wanted:
            reasons.append(
                f"The mentee asked for a mentor who is “{asked}”; this mentor describes "
                f"themselves as “{mentor.gender_self_description}”."
            )

    language = mentee.preferred_language.strip()
    if (
        mentee.needs_preferred_language
        and language
        and language.casefold() not in words_by_key(mentor.languages)
    ):
        spoken = ", ".join(mentor.languages) if mentor.languages else "none recorded"
        reasons.append(f"The mentee needs a mentor who speaks {language}; theirs: {spoken}.")
    return reasons


def matching_notes(*, mentee: Mentee, restrictions: list[SafetyRestriction]) -> list[str]:
    """What matching cannot check, for the coordinator to check by hand."""
    notes = []
    for restriction in restrictions:
        if restriction.kind == RestrictionKind.OTHER:
            notes.append(f"Check by hand: safety restriction “{restriction.instruction}”.")
    asked = mentee.preferred_mentor_gender.strip()
    if asked and not gender_classes(asked):
        notes.append(f"Check by hand: the mentee asked for a mentor who is “{asked}”.")
    if mentee.situation == Situation.IN_CUSTODY and not mentee.establishment.strip():
        notes.append("Check by hand: the prison is not recorded, so clearance was not checked.")
    return notes
