"""What the mentor sees of a flag: a gentle prompt written for them, never the coordinator's
view (see ``flags.selectors.mentor_prompts_for``)."""

import datetime
from collections.abc import Mapping

from django.utils.formats import date_format

from flags.models import Kind

MENTOR_PROMPTS: dict[str, str] = {
    Kind.NO_FIRST_MEETING: "Could you and your mentee fix a first meeting? Your coordinator "
    "can help arrange it.",
    Kind.NO_CONTACT_AFTER_RELEASE: "The first days after release matter most. Could you get "
    "in touch, or ask your coordinator to help?",
    Kind.SILENCE: "It has been a while since you met. Could you suggest a time?",
    Kind.GAPS_GROWING: "Meetings have been further apart lately. Is the timing still working "
    "for you both?",
    Kind.MISSED_MEETINGS: "A few meetings have been missed. Could you ask your mentee what "
    "would make meeting easier?",
    Kind.REVIEW_OVERDUE: "A review is due. Your coordinator will be in touch to set one up.",
    Kind.PLAN_OUTCOME_NOT_RECORDED: "Did your meeting on {planned_on} happen? Tell us in one tap.",
    Kind.SCORES_FLAT: "Could you and your mentee look again at whether the goals still feel right?",
    Kind.MENTOR_DRIVING: "Could your mentee set up the next meeting or choose the next step?",
    Kind.DONE_FOR: "In recent meetings you have often done practical tasks for your mentee, "
    "such as making calls or giving lifts. Next time, could you do tasks like these together, "
    "with your mentee leading?",
    Kind.TOO_LONG: "Could you and your mentee start talking about how and when you'll end?",
    Kind.CONTACT_RISING: "You've been meeting more often. Could you check together what the "
    "extra time is for?",
    Kind.MENTEE_STEPS_FALLING: "Could your mentee own more of the next steps?",
    Kind.DRIVING_GAP: "You and your mentee see who leads differently. Could you talk about it "
    "next time?",
}

#: A prompt's words when the flag's figures do not hold what its placeholders need.
FALLBACK_PROMPTS: dict[str, str] = {
    Kind.PLAN_OUTCOME_NOT_RECORDED: "Did your planned meeting happen? Tell us in one tap.",
}


def mentor_prompt(kind: str, figures: Mapping[str, object] | None = None) -> str | None:
    """The prompt for a flag of ``kind``, its placeholders filled from the flag's figures:
    ``{planned_on}`` is the plan's day as the mentor says it ("3 March")."""
    prompt = MENTOR_PROMPTS.get(kind)
    if prompt is None or "{" not in prompt:
        return prompt
    planned_on = (figures or {}).get("planned_on")
    try:
        day = datetime.date.fromisoformat(str(planned_on))
    except ValueError:
        return FALLBACK_PROMPTS[kind]
    return prompt.format(planned_on=date_format(day, "j F"))
