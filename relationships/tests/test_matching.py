"""Ranking mentors for a waiting mentee: every hard constraint excludes with its reason, the
soft criteria order crafted cases as a coordinator would expect, and gender and ethnicity
never add a point."""

import pytest
from django.utils import timezone

from mentees.models import RestrictionKind, Situation
from mentees.tests.factories import MenteeFactory, RestrictionFactory
from relationships.tests.factories import RelationshipFactory
from relationships.tests.matching_kit import mentee_in, mentor_in, ranked, reasons_for, suggested
from schemes.models import Mentor
from schemes.tests.factories import (
    PrisonClearanceFactory,
    SchemeFactory,
    UnavailablePeriodFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db


# --- Hard constraints: one test each -----------------------------------------------------


def test_a_mentor_who_is_not_active_is_not_offered(scheme):
    """A paused mentor is listed as not offered, saying their status."""
    mentee = mentee_in(scheme)
    paused = mentor_in(scheme, "Pausewell", status=Mentor.Status.PAUSED)
    ranking = ranked(mentee)
    assert suggested(ranking) == []
    assert reasons_for(ranking, paused) == ["Not active: their status is “Paused”."]


def test_a_mentor_whose_dbs_check_expired_is_not_offered(scheme):
    mentee = mentee_in(scheme)
    lapsed = mentor_in(scheme, "Lapseby")
    lapsed.dbs_checks.update(issued_on=days_ago(1200), expires_on=days_ago(3))
    [reason] = reasons_for(ranked(mentee), lapsed)
    assert reason.startswith("Their DBS check expired on")


def test_a_mentor_with_no_dbs_check_is_not_offered(scheme):
    mentee = mentee_in(scheme)
    unchecked = mentor_in(scheme, "Nocheck")
    unchecked.dbs_checks.all().delete()
    assert reasons_for(ranked(mentee), unchecked) == ["No DBS check on record."]


def test_a_mentor_with_no_capacity_left_is_not_offered(scheme):
    mentee = mentee_in(scheme)
    full = mentor_in(scheme, "Fullerton", capacity=1)
    RelationshipFactory(mentor=full, mentee=MenteeFactory(scheme=scheme))
    assert reasons_for(ranked(mentee), full) == [
        "No capacity left: 1 open match for a capacity of 1."
    ]


def test_a_mentor_who_is_away_is_not_offered(scheme):
    mentee = mentee_in(scheme)
    away = mentor_in(scheme, "Awayford")
    UnavailablePeriodFactory(mentor=away, reason="University vacation")
    [reason] = reasons_for(ranked(mentee), away)
    assert reason.startswith("Unavailable from") and "(University vacation)" in reason


def test_a_mentee_in_custody_is_offered_only_mentors_cleared_for_their_prison(scheme):
    mentee = mentee_in(scheme, situation=Situation.IN_CUSTODY, establishment="HMP Leeds")
    cleared = mentor_in(scheme, "Clearwater")
    PrisonClearanceFactory(mentor=cleared, establishment="HMP Leeds")
    uncleared = mentor_in(scheme, "Gateless")
    PrisonClearanceFactory(mentor=uncleared, establishment="HMP Wakefield")
    ranking = ranked(mentee)
    assert suggested(ranking) == [cleared.pk]
    assert reasons_for(ranking, uncleared) == ["No valid prison clearance for HMP Leeds."]


def test_clearance_is_not_needed_once_the_mentee_is_out_of_custody(scheme):
    mentee = mentee_in(scheme, situation=Situation.COMMUNITY)
    uncleared = mentor_in(scheme, "Gateless")
    assert suggested(ranked(mentee)) == [uncleared.pk]


@pytest.mark.parametrize(
    ("kind", "barred", "allowed"),
    [
        (RestrictionKind.NO_FEMALE_MENTOR, "Woman", "man"),
        (RestrictionKind.NO_MALE_MENTOR, "Male", "female"),
    ],
)
def test_a_gender_safety_restriction_excludes_mentors_it_names(scheme, kind, barred, allowed):
    mentee = mentee_in(scheme)
    RestrictionFactory(mentee=mentee, kind=kind, instruction="See the risk assessment.")
    named = mentor_in(scheme, "Barrowby", gender_self_description=barred)
    fine = mentor_in(scheme, "Fineham", gender_self_description=allowed)
    ranking = ranked(mentee)
    assert suggested(ranking) == [fine.pk]
    label = dict(RestrictionKind.choices)[kind].lower()
    assert reasons_for(ranking, named) == [f"Safety restriction: {label}."]


def test_a_gender_safety_restriction_excludes_a_mentor_whose_gender_is_not_recorded(scheme):
    """The restriction cannot be confirmed for someone who has not said, so they are not
    offered, and the coordinator is told exactly that."""
    mentee = mentee_in(scheme)
    RestrictionFactory(mentee=mentee, kind=RestrictionKind.NO_MALE_MENTOR)
    unknown = mentor_in(scheme, "Unsaid", gender_self_description="")
    assert reasons_for(ranked(mentee), unknown) == [
        "Safety restriction “not with a male mentor”: their gender is not recorded, so it "
        "cannot be confirmed."
    ]


def test_an_ended_restriction_no_longer_excludes(scheme):
    mentee = mentee_in(scheme)
    RestrictionFactory(
        mentee=mentee, kind=RestrictionKind.NO_MALE_MENTOR, ended_on=timezone.localdate()
    )
    mentor = mentor_in(scheme, "Manning", gender_self_description="man")
    assert suggested(ranked(mentee)) == [mentor.pk]


def test_other_restrictions_are_left_to_check_by_hand(scheme):
    """A restriction matching cannot read excludes nobody; the page says to check it."""
    mentee = mentee_in(scheme)
    RestrictionFactory(
        mentee=mentee, kind=RestrictionKind.OTHER, instruction="No mentors who live in LS9."
    )
    mentor = mentor_in(scheme, "Ninewells")
    ranking = ranked(mentee)
    assert suggested(ranking) == [mentor.pk]
    assert ranking.notes == ["Check by hand: safety restriction “No mentors who live in LS9.”."]


def test_the_mentee_asking_for_a_gender_excludes_others_and_the_unrecorded(scheme):
    mentee = mentee_in(scheme, preferred_mentor_gender="a woman, please")
    woman = mentor_in(scheme, "Womack", gender_self_description="Female")
    man = mentor_in(scheme, "Manley", gender_self_description="Man")
    unsaid = mentor_in(scheme, "Unsaid", gender_self_description="Prefer not to say")
    ranking = ranked(mentee)
    assert suggested(ranking) == [woman.pk]
    assert reasons_for(ranking, man) == [
        "The mentee asked for a mentor who is “a woman, please”; this mentor describes "
        "themselves as “Man”."
    ]
    assert "cannot be confirmed" in reasons_for(ranking, unsaid)[0]


def test_a_needed_language_excludes_mentors_who_do_not_speak_it(scheme):
    mentee = mentee_in(scheme, preferred_language="Polish", needs_preferred_language=True)
    speaker = mentor_in(scheme, "Kowalczyk", languages=["English", "polish"])
    other = mentor_in(scheme, "Jones", languages=["English"])
    ranking = ranked(mentee)
    assert suggested(ranking) == [speaker.pk]
    assert reasons_for(ranking, other) == [
        "The mentee needs a mentor who speaks Polish; theirs: English."
    ]


def test_a_preferred_language_that_is_not_needed_only_ranks(scheme):
    mentee = mentee_in(scheme, preferred_language="Polish")
    speaker = mentor_in(scheme, "Zielinski", languages=["Polish"])
    other = mentor_in(scheme, "Adams", languages=["English"])
    ranking = ranked(mentee)
    assert suggested(ranking) == [speaker.pk, other.pk]
    assert "speaks their language +10" in ranking.suggestions[0].ahead_of_next


def test_every_reason_is_given_not_only_the_first(scheme):
    mentee = mentee_in(scheme)
    RestrictionFactory(mentee=mentee, kind=RestrictionKind.NO_MALE_MENTOR)
    mentor = mentor_in(scheme, "Manyreasons", status=Mentor.Status.PAUSED)
    UnavailablePeriodFactory(mentor=mentor)
    reasons = reasons_for(ranked(mentee), mentor)
    assert len(reasons) == 3


def test_mentors_who_left_are_not_listed_at_all(scheme):
    mentee = mentee_in(scheme)
    mentor_in(scheme, "Goneaway", status=Mentor.Status.LEFT)
    ranking = ranked(mentee)
    assert ranking.suggestions == [] and ranking.excluded == []


def test_only_the_mentees_own_scheme_is_searched(scheme):
    mentee = mentee_in(scheme)
    mentor_in(SchemeFactory(), "Elsewhere")
    ranking = ranked(mentee)
    assert ranking.suggestions == [] and ranking.excluded == []
