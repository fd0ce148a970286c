"""A referral's one next step, named in the coordinator's words.

A coordinator should never have to know the pipeline's table to move a person on: from what
is on record (contact attempts, consent, readiness, needs, a relationship) the person's page
offers one plainly labelled action, and the waiting list says, for someone not yet ready,
what is still missing. The order follows the scheme's practice and the research behind it:
reach the person, explain mentoring and record their informed consent (mentoring is
voluntary, and assessing someone records things about them that they should agree to
first), assess their readiness, then let them wait for a mentor.

Pure functions of ``ReferralFacts``: no database, so every state is tested with crafted
facts. ``mentees.selectors`` gathers the facts for one referral or for a list.
"""

from dataclasses import dataclass

from django.urls import reverse

from mentees.models import Mentee, Readiness, Referral

Status = Referral.Status

#: The readiness questions, in the words the record shows.
READINESS_QUESTIONS = {
    "knows_what_mentoring_is": "knows what mentoring is",
    "sees_it_as_worthwhile_now": "sees it as worthwhile now",
    "life_stable_enough": "life stable enough",
    "recognises_lack_of_support": "recognises a lack of support",
}


@dataclass(frozen=True)
class ReferralFacts:
    """What the next step depends on, for one open (or closed) referral."""

    referral_id: int
    mentee_id: int
    status: str
    attempts: int = 0
    spoken_to: bool = False  # an attempt reached the person
    consent_current: bool = False
    consent_withdrawn: bool = False  # their latest consent was withdrawn, none given since
    readiness_recorded: bool = False
    readiness_no: tuple[str, ...] = ()  # the questions answered "no", in words
    needs_recorded: bool = False
    relationship_id: int | None = None  # the open relationship, once matched
    offer_id: int | None = None  # a match offer waiting for the mentor's answer


@dataclass(frozen=True)
class NextStep:
    """One action: a link to a page, or a one-click POST (``posts``)."""

    code: str
    label: str  # the button
    url: str
    why: str  # one line under the button
    then: str  # how a message names it: "Next: record readiness."
    posts: bool = False


def facts_for(
    referral: Referral,
    *,
    attempts: int,
    spoken_to: bool,
    consent_current: bool,
    consent_withdrawn: bool,
    relationship_id: int | None = None,
    offer_id: int | None = None,
) -> ReferralFacts:
    """The facts of ``referral``, given what the caller counted; the rest is on the person."""
    mentee: Mentee = referral.mentee
    return ReferralFacts(
        referral_id=referral.pk,
        mentee_id=mentee.pk,
        status=referral.status,
        attempts=attempts,
        spoken_to=spoken_to,
        consent_current=consent_current,
        consent_withdrawn=consent_withdrawn,
        readiness_recorded=mentee.readiness_assessed_on is not None,
        readiness_no=tuple(
            words
            for name, words in READINESS_QUESTIONS.items()
            if getattr(mentee, name) == Readiness.NO
        ),
        needs_recorded=bool(mentee.needs or mentee.availability),
        relationship_id=relationship_id,
        offer_id=offer_id,
    )


def _attempts_so_far(facts: ReferralFacts) -> str:
    if not facts.attempts:
        return "Nobody has reached them yet."
    tries = f"{facts.attempts} attempt{'s' if facts.attempts != 1 else ''}"
    return f"{tries} so far, none reached them yet."


def _before_matching(facts: ReferralFacts) -> NextStep:
    """The step for someone referred or being assessed."""
    mentee = facts.mentee_id
    if not facts.consent_current and facts.consent_withdrawn:
        return NextStep(
            "consent",
            "Record consent",
            reverse("mentees:consent_new", args=[mentee]),
            "They withdrew their consent: record it again only if they have given it again.",
            "Next: record their consent, if they give it again.",
        )
    if not facts.consent_current and not facts.spoken_to:
        return NextStep(
            "contact",
            "Record a contact attempt",
            reverse("mentees:contact_attempt_new", args=[facts.referral_id]),
            _attempts_so_far(facts),
            "Next: try again to reach them."
            if facts.attempts
            else "Next: record a contact attempt.",
        )
    if not facts.consent_current:
        return NextStep(
            "consent",
            "Record consent",
            reverse("mentees:consent_new", args=[mentee]),
            "Explain mentoring with the information sheet, then record whether they agree.",
            "Next: record their consent.",
        )
    if facts.status == Status.REFERRED and not facts.readiness_recorded:
        return NextStep(
            "start_assessment",
            "Start assessment",
            reverse("mentees:referral_start_assessment", args=[facts.referral_id]),
            "Consent is recorded: assess their readiness, needs and any risks.",
            "Next: start the assessment.",
            posts=True,
        )
    if not facts.readiness_recorded:
        return NextStep(
            "readiness",
            "Record readiness",
            reverse("mentees:readiness", args=[mentee]),
            "Ask the four readiness questions.",
            "Next: record their readiness.",
        )
    cautions = []
    if facts.readiness_no:
        cautions.append(
            f"They answered no to: {', '.join(facts.readiness_no)}. "
            "Decide whether now is the right time."
        )
    if not facts.needs_recorded:
        cautions.append("No needs or free times recorded: suggestions are better with them.")
    return NextStep(
        "waiting_list",
        "Ready to match: add to the waiting list",
        reverse("mentees:referral_add_to_waiting_list", args=[facts.referral_id]),
        " ".join(cautions) or "Consent and readiness are recorded.",
        "Next: add them to the waiting list.",
        posts=True,
    )


def next_step(facts: ReferralFacts) -> NextStep | None:
    """The one thing to do next with this referral; None once it has ended or stopped."""
    if facts.status in (Status.REFERRED, Status.ASSESSING):
        return _before_matching(facts)
    if facts.status == Status.AWAITING_MATCH and facts.offer_id is not None:
        return NextStep(
            "offer",
            "See the offer",
            reverse("relationships:offer_detail", args=[facts.offer_id]),
            "A mentor has been offered the match: wait for their answer, or record it for them.",
            "Next: wait for the mentor's answer.",
        )
    if facts.status == Status.AWAITING_MATCH:
        return NextStep(
            "find_mentor",
            "Find a mentor",
            reverse("relationships:match_suggestions", args=[facts.mentee_id]),
            "They are on the waiting list.",
            "Next: find them a mentor.",
        )
    if facts.relationship_id is None:
        return None
    url = reverse("relationships:detail", args=[facts.relationship_id])
    if facts.status == Status.MATCHED:
        return NextStep(
            "first_meeting",
            "Arrange the first meeting",
            url,
            "Matched: nothing counts until they meet.",
            "Next: arrange the first meeting.",
        )
    if facts.status == Status.ACTIVE:
        return NextStep(
            "relationship",
            "See the relationship",
            url,
            "Meeting their mentor.",
            "",
        )
    return None


def missing_for_match(facts: ReferralFacts) -> list[str]:
    """What still stands between someone referred or assessed and the waiting list, in
    words; empty when nothing does (their next step is to add them)."""
    missing = []
    if not facts.consent_current and not facts.spoken_to and not facts.consent_withdrawn:
        if facts.attempts:
            plural = "s" if facts.attempts != 1 else ""
            missing.append(f"not reached yet ({facts.attempts} contact attempt{plural})")
        else:
            missing.append("no contact attempt yet")
    if facts.consent_withdrawn and not facts.consent_current:
        missing.append("consent withdrawn")
    elif not facts.consent_current:
        missing.append("consent not recorded")
    if not facts.readiness_recorded:
        missing.append("readiness not assessed")
    return missing
