"""Each rule's thresholds in a scheme, as short sentences with their units, for the rule's
page ("Raised after 14 days with no meeting (twice the scheme's usual 7 days between
contacts)"), rather than a setting's help text beside a bare number.

``THRESHOLD_FIELDS`` (``flags.usefulness``) names the settings each rule reads; here each
kind that has any says what they mean for it. A kind not here has fixed thresholds."""

from collections.abc import Callable

from flags.models import Kind
from flags.rules.facts import WINDOW_ARRANGED, WINDOW_CONTACTS, WINDOW_HELD
from flags.rules.wording import plural
from schemes.models import Scheme


def _days(n: int) -> str:
    return plural(n, "day")


def _caps(s: Scheme) -> list[str]:
    said = [
        f"Raised {plural(s.flag_too_long_weeks, 'week')} after the goals were met or the "
        "scheme's cap passed, with no ending plan"
    ]
    if s.cap_meetings is None and s.cap_weeks is None:
        said.append("The scheme has no cap on meetings or weeks")
    if s.cap_meetings is not None:
        said.append(f"The scheme's cap: {plural(s.cap_meetings, 'meeting')}")
    if s.cap_weeks is not None:
        said.append(f"The scheme's cap: {plural(s.cap_weeks, 'week')} from the match")
    return said


SENTENCES: dict[str, Callable[[Scheme], list[str]]] = {
    Kind.NO_FIRST_MEETING: lambda s: [
        f"Raised after {_days(s.flag_no_first_meeting_days)} from the match with no meeting "
        "held (paused days not counted)"
    ],
    Kind.NO_CONTACT_AFTER_RELEASE: lambda s: [
        f"Raised after {_days(s.flag_no_contact_after_release_days)} from the release with no "
        "contact"
    ],
    Kind.SILENCE: lambda s: [
        f"Raised after {_days(2 * s.expected_contact_days)} with no meeting (twice the "
        f"scheme's usual {_days(s.expected_contact_days)} between contacts)"
    ],
    Kind.GAPS_GROWING: lambda s: [
        "Raised when three gaps between meetings grow, the latest over "
        f"{_days(s.expected_contact_days)} (the scheme's usual days between contacts)"
    ],
    Kind.MISSED_MEETINGS: lambda s: [
        f"Raised when the mentee did not attend {s.flag_missed_meetings} or more of the last "
        f"{WINDOW_ARRANGED} arranged meetings"
    ],
    Kind.REVIEW_OVERDUE: lambda s: [
        f"Raised after a review is {_days(s.flag_review_overdue_days)} overdue"
    ],
    Kind.WAITING_FOR_MATCH: lambda s: [
        f"Raised after {_days(s.flag_waiting_for_match_days)} waiting for a match"
    ],
    Kind.NO_CONTACT_ATTEMPT: lambda s: [
        f"Raised after {_days(s.flag_no_contact_attempt_days)} with no contact attempt logged"
    ],
    Kind.OFFER_NOT_ANSWERED: lambda s: [
        "Raised when the offer of a match is not answered by its deadline, "
        f"{_days(s.offer_open_days)} after it was made"
    ],
    Kind.PLAN_OUTCOME_NOT_RECORDED: lambda s: [
        f"Raised after {_days(s.flag_plan_outcome_days)} with no outcome recorded"
    ],
    Kind.MENTOR_DRIVING: lambda s: [
        f"Raised when the mentor started {s.flag_mentor_led_percent}% or more of the last "
        f"{WINDOW_CONTACTS} contacts"
    ],
    Kind.DONE_FOR: lambda s: [
        f"Raised when practical help was done for the mentee in {s.flag_done_for_percent}% or "
        f"more of the last {WINDOW_HELD} meetings held"
    ],
    Kind.TOO_LONG: _caps,
}


def threshold_sentences(kind: str, scheme: Scheme) -> list[str]:
    """The scheme's thresholds for ``kind``'s rule, each a short sentence with its unit; none
    for a rule whose thresholds are fixed."""
    say = SENTENCES.get(kind)
    return say(scheme) if say else []
