"""Matching's ranking on crafted cases, and how it reads free text: what counts, what never
counts (gender, ethnicity), and the explanation that adds up to the score."""

import datetime

import pytest
from django.utils import timezone

from mentees.tests.factories import MenteeFactory
from relationships.matching.ranking import ranking_for, soft_criteria
from relationships.matching.text import gender_classes, postcode_district
from relationships.tests.factories import RelationshipFactory
from relationships.tests.matching_kit import (
    EVENING,
    MORNING,
    THU,
    TUE,
    mentee_in,
    mentor_in,
    ranked,
    suggested,
)
from schemes.models import Mentor
from schemes.tests.factories import (
    AvailabilitySlotFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db


# --- Ranking on crafted cases ------------------------------------------------------------


def test_more_shared_free_time_ranks_higher(scheme):
    mentee = mentee_in(scheme, availability=[f"{TUE}:{EVENING}", f"{THU}:{EVENING}"])
    one = mentor_in(scheme, "Onceweekly")
    AvailabilitySlotFactory(mentor=one, weekday=TUE, part=EVENING)
    two = mentor_in(scheme, "Twiceweekly")
    AvailabilitySlotFactory(mentor=two, weekday=TUE, part=EVENING)
    AvailabilitySlotFactory(mentor=two, weekday=THU, part=EVENING)
    none = mentor_in(scheme, "Aaronsmorning")
    AvailabilitySlotFactory(mentor=none, weekday=TUE, part=MORNING)
    ranking = ranked(mentee)
    assert suggested(ranking) == [two.pk, one.pk, none.pk]
    first, second, third = ranking.suggestions
    assert first.score - second.score == 4
    avail = {c.key: c for c in first.criteria}["availability"]
    assert avail.sentence == "Both free 2 times a week: Tuesday evening, Thursday evening."
    assert first.ahead_of_next == (
        "Ranked above Alex Onceweekly by 4 points: free at the same times +4."
    )
    assert {c.key: c for c in third.criteria}["availability"].sentence == (
        "No free time in common."
    )


def test_nearer_home_areas_rank_higher(scheme):
    mentee = mentee_in(scheme, home_area="ls6 2ab")
    same_district = mentor_in(scheme, "Zedfar", home_area="LS6", travel_km=10)
    same_area = mentor_in(scheme, "Middleton", home_area="LS11")
    elsewhere = mentor_in(scheme, "Abbott", home_area="M1")
    ranking = ranked(mentee)
    assert suggested(ranking) == [same_district.pk, same_area.pk, elsewhere.pk]
    sentences = [{c.key: c for c in s.criteria}["distance"].sentence for s in ranking.suggestions]
    assert sentences == [
        "Both live in LS6. They can travel up to 10 km.",
        "Same postcode area (LS): the mentee in LS6, the mentor in LS11.",
        "Different postcode areas: the mentee in LS6, the mentor in M1.",
    ]


def test_a_town_that_is_not_a_postcode_cannot_be_compared_and_scores_nothing(scheme):
    """A home area recorded before the form asked for a postcode district ("Leeds") scores
    nothing, and the sentence says what to add."""
    mentee = mentee_in(scheme, home_area="Leeds")
    mentor = mentor_in(scheme, "Townsend", home_area="LS6")
    [suggestion] = ranked(mentee).suggestions
    distance = {c.key: c for c in suggestion.criteria}["distance"]
    assert distance.points == 0
    assert "“Leeds” is not the first half of a postcode, like LS6" in distance.sentence
    assert suggestion.mentor == mentor


def test_a_peer_mentor_ranks_higher_only_when_the_mentee_wants_one(scheme):
    peer = mentor_in(scheme, "Zpeer", kind=Mentor.Kind.PEER)
    volunteer = mentor_in(scheme, "Avolunteer", kind=Mentor.Kind.VOLUNTEER)
    wants = mentee_in(scheme, wants_peer_mentor=True)
    assert suggested(ranked(wants)) == [peer.pk, volunteer.pk]
    indifferent = mentee_in(scheme, wants_peer_mentor=False)
    ranking = ranked(indifferent)
    # No peer criterion at all: equal scores, so the name decides.
    assert suggested(ranking) == [volunteer.pk, peer.pk]
    assert all("peer" not in {c.key for c in s.criteria} for s in ranking.suggestions)
    assert ranking.suggestions[0].ahead_of_next.endswith("listed first by name.")


def test_shared_interests_rank_higher(scheme):
    mentee = mentee_in(scheme, interests=["Football", "cooking"])
    fan = mentor_in(scheme, "Zfan", interests=["football", "Cooking", "chess"])
    stranger = mentor_in(scheme, "Astranger", interests=["opera"])
    ranking = ranked(mentee)
    assert suggested(ranking) == [fan.pk, stranger.pk]
    interests = {c.key: c for c in ranking.suggestions[0].criteria}["interests"]
    assert (interests.points, interests.sentence) == (6, "Both enjoy Football, cooking.")


def test_fewer_open_matches_ranks_higher(scheme):
    mentee = mentee_in(scheme)
    busy = mentor_in(scheme, "Abusy", capacity=3)
    RelationshipFactory(mentor=busy, mentee=MenteeFactory(scheme=scheme))
    free = mentor_in(scheme, "Zfree", capacity=3)
    ranking = ranked(mentee)
    assert suggested(ranking) == [free.pk, busy.pk]
    assert ranking.suggestions[0].ahead_of_next == (
        "Ranked above Alex Abusy by 3 points: time to give +3."
    )


def test_a_closed_relationship_does_not_count_as_load(scheme):
    mentee = mentee_in(scheme)
    mentor = mentor_in(scheme, "Pastmatch", capacity=1)
    RelationshipFactory(
        mentor=mentor, mentee=MenteeFactory(scheme=scheme), status="closed", closed_on=days_ago(1)
    )
    [suggestion] = ranked(mentee).suggestions
    assert suggestion.open_matches == 0


def test_equal_scores_break_ties_the_same_way_every_time(scheme):
    """Same score: fewer open matches first (load points equal only when both are past the
    floor), then family name, then given name."""
    mentee = mentee_in(scheme)
    b = mentor_in(scheme, "Brown", given_name="Sam")
    a2 = mentor_in(scheme, "Ash", given_name="Zoe")
    a1 = mentor_in(scheme, "Ash", given_name="Amy")
    assert suggested(ranked(mentee)) == [a1.pk, a2.pk, b.pk]
    assert suggested(ranked(mentee)) == [a1.pk, a2.pk, b.pk]


def test_gender_and_ethnicity_never_change_a_score(scheme):
    """Two mentors alike in all but gender and ethnicity score the same, criterion by
    criterion, on a mentee who has something on every criterion."""
    mentee = mentee_in(
        scheme,
        availability=[f"{TUE}:{EVENING}"],
        home_area="LS6",
        preferred_language="Urdu",
        interests=["cricket"],
        wants_peer_mentor=True,
    )
    common = {
        "home_area": "LS6",
        "languages": ["Urdu"],
        "interests": ["cricket"],
        "kind": Mentor.Kind.PEER,
    }
    one = mentor_in(
        scheme,
        "Same",
        gender_self_description="woman",
        ethnicity_self_description="British Pakistani",
        **common,
    )
    two = mentor_in(
        scheme,
        "Same",
        gender_self_description="man",
        ethnicity_self_description="White British",
        **common,
    )
    for m in (one, two):
        AvailabilitySlotFactory(mentor=m, weekday=TUE, part=EVENING)
    first, second = ranked(mentee).suggestions
    assert first.criteria == second.criteria
    assert first.score == second.score == 4 + 20 + 10 + 3 + 15 + 10
    # And changing one mentor's gender and ethnicity changes nothing.
    one.gender_self_description = "non-binary"
    one.ethnicity_self_description = ""
    assert soft_criteria(mentee=mentee, mentor=one, open_matches=0) == first.criteria


def test_the_explanation_is_exactly_the_criteria_that_add_up_to_the_score(scheme):
    mentee = mentee_in(scheme, home_area="LS6", interests=["chess"])
    mentor_in(scheme, "Sumcheck", home_area="LS7", interests=["Chess"])
    [suggestion] = ranked(mentee).suggestions
    assert suggestion.score == sum(c.points for c in suggestion.scoring)
    assert [c.key for c in suggestion.scoring] == ["distance", "interests", "load"]
    assert [c.key for c in suggestion.not_scoring] == ["availability"]


# --- Reading free text -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "classes"),
    [
        ("Woman", {"female"}),
        ("I'm a woman", {"female"}),
        ("female", {"female"}),
        ("Trans man", {"male"}),
        ("he/him", {"male"}),
        ("Non-binary", {"non_binary"}),
        ("Prefer not to say", set()),
        ("", set()),
    ],
)
def test_gender_free_text_is_read_conservatively(text, classes):
    assert gender_classes(text) == classes


@pytest.mark.parametrize(
    ("text", "district"),
    [("LS6", "LS6"), ("ls6 2ab", "LS6"), ("Leeds LS11", "LS11"), ("SW1A 1AA", "SW1A"),
     ("Leeds", None), ("", None)],
)  # fmt: skip
def test_postcode_districts_are_found_in_home_areas(text, district):
    assert postcode_district(text) == district


def test_a_dbs_check_expiring_today_no_longer_counts(scheme):
    """Vetting is valid up to, not including, its expiry date."""
    mentee = mentee_in(scheme)
    mentor = mentor_in(scheme, "Lastday")
    mentor.dbs_checks.update(expires_on=timezone.localdate())
    assert suggested(ranked(mentee)) == []
    assert suggested(ranking_for(mentee, on=timezone.localdate() - datetime.timedelta(1))) == [
        mentor.pk
    ]


@pytest.mark.parametrize("asked", ["not a man", "no men please", "anyone but male"])
def test_a_negated_gender_request_is_left_to_check_by_hand_never_read_backwards(asked):
    """A mentee who asked not to have a male mentor must never be offered only men."""
    from mentees.tests.factories import MenteeFactory
    from relationships.matching.constraints import matching_notes
    from relationships.matching.text import gender_classes

    assert gender_classes(asked) == set()  # no hard filter either way
    assert gender_classes("a man") == {"male"}
    mentee = MenteeFactory.build(preferred_mentor_gender=asked)
    assert f"Check by hand: the mentee asked for a mentor who is “{asked}”." in matching_notes(
        mentee=mentee, restrictions=[]
    )
