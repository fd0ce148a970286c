"""Matching never reads a person's equality answers: whatever they say about their gender,
ethnicity or disability, the suggestions, their scores, their reasons and the mentors left
out are the same."""

import itertools

import pytest

from mentees.models import Mentee
from mentees.models.equality import Disability, Ethnicity, Gender
from relationships.tests.matching_kit import mentee_in, mentor_in, ranked
from schemes.models import AvailabilitySlot
from schemes.tests.factories import AvailabilitySlotFactory, MentorFactory

pytestmark = pytest.mark.django_db


def _shape(ranking) -> tuple:
    """Everything a coordinator reads from the suggestions, as plain values."""
    return (
        [
            (s.mentor.pk, s.score, [(c.key, c.points, c.sentence) for c in s.criteria])
            for s in ranking.suggestions
        ],
        [s.ahead_of_next for s in ranking.suggestions],
        [(e.mentor.pk, e.reasons) for e in ranking.excluded],
        ranking.notes,
    )


def test_changing_the_equality_answers_changes_no_match_suggestion(scheme):
    """A pool of mentors who describe themselves in many ways (women and men, White, Black,
    Asian, a Roma mentor) ranked for one person, then for the same person with every mix of
    answers: each ranking is the same as with none."""
    mentee = mentee_in(
        scheme, home_area="LS6 2AB", availability=["2:evening"], interests=["football"]
    )
    for name, gender, ethnicity in [
        ("Ashworth", "woman", "White British"),
        ("Begum", "woman", "Bangladeshi"),
        ("Campbell", "man", "Black Caribbean"),
        ("Lovell", "man", "Roma"),
        ("Okafor", "non-binary", "Black African"),
    ]:
        mentor = mentor_in(
            scheme,
            name,
            gender_self_description=gender,
            ethnicity_self_description=ethnicity,
            home_area="LS6",
            interests=["football"] if name in ("Begum", "Lovell") else [],
        )
        AvailabilitySlotFactory(
            mentor=mentor, weekday=AvailabilitySlot.Weekday.TUESDAY, part="evening"
        )
    MentorFactory(scheme=scheme, active=False, family_name="Away")  # left out, with why
    before = _shape(ranked(mentee))
    assert len(before[0]) == 5 and before[2], "suggestions and an exclusion to compare"
    answers = itertools.product(
        ["", *Gender.values], ["", *Ethnicity.values[::4], Ethnicity.NOT_SAID], Disability.values
    )
    for gender, ethnicity, disability in answers:
        Mentee.objects.filter(pk=mentee.pk).update(
            gender=gender, ethnicity=ethnicity, disability=disability
        )
        mentee.refresh_from_db()
        assert _shape(ranked(mentee)) == before, (gender, ethnicity, disability)
