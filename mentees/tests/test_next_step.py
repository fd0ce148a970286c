"""The referral's one next step, from crafted facts (no database): each state names one
plainly labelled action and where it goes, and the waiting list's words for what is missing."""

import dataclasses

import pytest
from django.urls import reverse

from mentees.models import Referral
from mentees.next_step import ReferralFacts, missing_for_match, next_step

S = Referral.Status
NEW = ReferralFacts(referral_id=7, mentee_id=3, status=S.REFERRED)
REACHED = dataclasses.replace(NEW, attempts=2, spoken_to=True)
CONSENTED = dataclasses.replace(REACHED, consent_current=True)
ASSESSING = dataclasses.replace(CONSENTED, status=S.ASSESSING)
READY = dataclasses.replace(ASSESSING, readiness_recorded=True, needs_recorded=True)


def step(facts: ReferralFacts):
    found = next_step(facts)
    assert found is not None
    return found


def test_a_new_referral_asks_for_a_contact_attempt():
    """Nobody has tried to reach the person: the step is to record a contact attempt."""
    found = step(NEW)
    assert (found.label, found.posts) == ("Record a contact attempt", False)
    assert found.url == reverse("mentees:contact_attempt_new", args=[7])
    assert found.why == "Nobody has reached them yet."


def test_attempts_that_reached_nobody_still_ask_for_contact():
    """Two unanswered calls are not contact: the step stays, and says how many tries."""
    found = step(dataclasses.replace(NEW, attempts=2))
    assert found.label == "Record a contact attempt"
    assert found.why == "2 attempts so far, none reached them yet."
    assert found.then == "Next: try again to reach them."


def test_once_reached_the_step_is_consent():
    """After speaking with the person, explain mentoring and record their consent."""
    found = step(REACHED)
    assert (found.label, found.url) == (
        "Record consent",
        reverse("mentees:consent_new", args=[3]),
    )
    assert found.then == "Next: record their consent."


def test_consent_given_without_a_logged_attempt_moves_on():
    """Consent on record shows the person was reached, logged attempt or not."""
    assert step(dataclasses.replace(NEW, consent_current=True)).label == "Start assessment"


def test_a_withdrawn_consent_asks_for_consent_again_not_contact():
    """After a withdrawal, no contact until they give consent again: the step says so."""
    found = step(dataclasses.replace(NEW, consent_withdrawn=True))
    assert found.label == "Record consent"
    assert "withdrew their consent" in found.why


def test_with_consent_a_referred_person_starts_assessment_in_one_click():
    """Consent on record and still "referred": a one-click POST to start the assessment."""
    found = step(CONSENTED)
    assert (found.label, found.posts) == ("Start assessment", True)
    assert found.url == reverse("mentees:referral_start_assessment", args=[7])


def test_while_assessing_the_step_is_readiness():
    """Being assessed without readiness on record: record the four readiness answers."""
    found = step(ASSESSING)
    assert (found.label, found.posts) == ("Record readiness", False)
    assert found.url == reverse("mentees:readiness", args=[3])


def test_assessing_without_consent_asks_for_consent_first():
    """An assessment started (or imported) without consent still needs consent first."""
    facts = dataclasses.replace(ASSESSING, consent_current=False, readiness_recorded=True)
    assert step(facts).label == "Record consent"


def test_consent_and_readiness_make_them_ready_to_match():
    """Consent and readiness on record: a one-click POST to the waiting list."""
    found = step(READY)
    assert (found.label, found.posts) == ("Ready to match: add to the waiting list", True)
    assert found.url == reverse("mentees:referral_add_to_waiting_list", args=[7])
    assert found.why == "Consent and readiness are recorded."


def test_ready_while_still_referred_goes_straight_to_the_waiting_list():
    """Consent and readiness recorded before anyone started the assessment: one step, not
    two, to the waiting list."""
    facts = dataclasses.replace(READY, status=S.REFERRED)
    assert step(facts).label == "Ready to match: add to the waiting list"


def test_ready_to_match_warns_of_no_answers_and_missing_needs():
    """A "no" to a readiness question and no needs recorded are said, not blocking."""
    facts = dataclasses.replace(READY, readiness_no=("life stable enough",), needs_recorded=False)
    found = step(facts)
    assert found.label == "Ready to match: add to the waiting list"
    assert "They answered no to: life stable enough." in found.why
    assert "No needs or free times recorded" in found.why


def test_someone_waiting_is_offered_find_a_mentor():
    """Awaiting a match: find a mentor, on the existing suggestions page."""
    found = step(dataclasses.replace(READY, status=S.AWAITING_MATCH))
    assert found.label == "Find a mentor"
    assert found.url == reverse("relationships:match_suggestions", args=[3])


def test_someone_with_an_offer_out_waits_for_the_mentors_answer():
    """Awaiting a match with an offer pending: the step is the offer, not a second search
    (a person is offered to one mentor at a time)."""
    found = step(dataclasses.replace(READY, status=S.AWAITING_MATCH, offer_id=21))
    assert found.label == "See the offer"
    assert found.url == reverse("relationships:offer_detail", args=[21])


def test_after_a_match_the_step_is_the_first_meeting():
    """Matched: arrange the first meeting, on the relationship's page."""
    found = step(dataclasses.replace(READY, status=S.MATCHED, relationship_id=11))
    assert found.label == "Arrange the first meeting"
    assert found.url == reverse("relationships:detail", args=[11])


def test_once_meeting_the_step_is_the_relationship():
    """Active: the relationship's page is where the work is."""
    found = step(dataclasses.replace(READY, status=S.ACTIVE, relationship_id=11))
    assert (found.label, found.url) == (
        "See the relationship",
        reverse("relationships:detail", args=[11]),
    )


@pytest.mark.parametrize(
    "status", [S.ENDED, S.DECLINED, S.WITHDRAWN, S.NOT_SUITABLE, S.LOST_CONTACT]
)
def test_an_ended_or_stopped_referral_has_no_next_step(status):
    """Nothing to do with a referral that has ended or stopped."""
    assert next_step(dataclasses.replace(READY, status=status, relationship_id=11)) is None


@pytest.mark.parametrize(
    ("facts", "missing"),
    [
        (NEW, ["no contact attempt yet", "consent not recorded", "readiness not assessed"]),
        (
            dataclasses.replace(NEW, attempts=1),
            [
                "not reached yet (1 contact attempt)",
                "consent not recorded",
                "readiness not assessed",
            ],
        ),
        (REACHED, ["consent not recorded", "readiness not assessed"]),
        (
            dataclasses.replace(NEW, consent_withdrawn=True),
            ["consent withdrawn", "readiness not assessed"],
        ),
        (ASSESSING, ["readiness not assessed"]),
        (READY, []),
        (dataclasses.replace(READY, status=S.REFERRED), []),
    ],
    ids=["new", "tried once", "reached", "withdrawn", "assessing", "ready", "ready, referred"],
)
def test_the_waiting_list_says_what_is_missing_in_words(facts, missing):
    """What stands between the person and the waiting list, in the coordinator's words."""
    assert missing_for_match(facts) == missing
