"""The referral form and matching agree on what a home area is: the first half of a postcode
("LS6"). The form asks for it, tidies what people type into it, and refuses a town's name in
the user's words, so matching never has to say the area cannot be compared."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from core.postcodes import HOME_AREA_ERROR, postcode_district
from mentees.imports import MenteeRow
from mentees.models import Mentee
from mentees.tests.test_referrals import referral_post
from relationships.matching.ranking import ranking_for
from relationships.tests.matching_kit import mentor_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("LS6", "LS6"),
        ("ls6", "LS6"),
        ("LS6 2AB", "LS6"),
        ("Leeds LS11", "LS11"),
        ("", ""),
        ("Flat B2, 14 Cardigan Rd, Leeds LS6 1LJ", "LS6"),
        ("Room E1, Hostel, Bradford BD7", "BD7"),
    ],
)
def test_the_referral_form_keeps_the_postcode_district_of_what_was_typed(world, typed, kept):
    """A district, a full postcode or a town with its district all give the district; a full
    postcode is cut to its first half, as nothing more precise is needed."""
    referral_post(world, home_area=typed)
    assert Mentee.objects.get(family_name="Quillfeather").home_area == kept


@pytest.mark.parametrize("typed", ["Cell A1", "Wing B2, HMP Leeds", "A1", "Q5 1AB", "Leeds"])
def test_a_flat_cell_or_wing_number_is_not_taken_for_a_district(typed):
    """Letters and a number ("Cell A1", "Wing B2") are read as a postcode district only where
    an address puts its postcode, at the end, and only when the letters are a real postcode
    area, so nobody is matched with mentors in Birmingham for living on wing B2."""
    assert postcode_district(typed) is None


@pytest.mark.parametrize("typed", ["No fixed abode", "NFA", "unknown", "TBC"])
def test_no_fixed_abode_is_told_to_leave_the_area_blank(world, typed):
    """Someone with no fixed address, or whose address is not known yet, is told, in the
    error and in the hint, to leave the area blank, not that they typed a town; blank saves."""
    response = referral_post(world, home_area=typed)
    assert response.context["form"].errors["home_area"] == [HOME_AREA_ERROR]
    page = response.content.decode()
    assert "or leave this blank if they have no fixed address or it is not known yet" in page
    assert "Leave it blank if they have no fixed address or it is not known yet" in page
    referral_post(world, home_area="")
    assert Mentee.objects.get(family_name="Quillfeather").home_area == ""


def test_an_old_area_that_is_no_postcode_does_not_block_other_edits(world):
    """A mentee saved as living in "Leeds" before the rule can still have their phone number
    changed; the area is checked again only when someone changes it."""
    mentee = world.mentee_a
    Mentee.objects.filter(pk=mentee.pk).update(home_area="Leeds")
    client = client_for(world.coordinator_a)
    url = reverse("mentees:edit", args=[mentee.pk])
    initial = client.get(url).context["form"].initial
    data = {k: "" if v is None else str(v) for k, v in initial.items()}
    response = client.post(url, {**data, "phone": "07700 900999"})
    assert response.status_code == 302, response.context["form"].errors
    mentee.refresh_from_db()
    assert (mentee.phone, mentee.home_area) == ("07700 900999", "Leeds")
    response = client.post(url, {**data, "home_area": "Leeds city centre"})
    assert response.context["form"].errors["home_area"] == [HOME_AREA_ERROR]


def test_a_town_name_is_refused_in_the_users_words(world):
    """A town ("East Annaview") cannot be compared with anyone's district: the form says what
    to type instead, next to the field, and saves nothing."""
    response = referral_post(world, home_area="East Annaview")
    assert response.status_code == 200
    assert response.context["form"].errors["home_area"] == [HOME_AREA_ERROR]
    assert "first half of the postcode" in response.content.decode()  # the hint asks for it
    assert not Mentee.objects.filter(family_name="Quillfeather").exists()


def test_an_area_the_form_accepts_is_one_matching_compares(world):
    """Someone referred as living in "ls6 2ab" is suggested a mentor in LS6 as living nearby."""
    living = {"situation": "community", "establishment": "", "expected_release_on": ""}
    referral_post(world, home_area="ls6 2ab", **living)
    mentee = Mentee.objects.get(family_name="Quillfeather")
    nearby = mentor_in(world.scheme_a, "Nearby", home_area="LS6")
    suggestions = ranking_for(mentee, on=timezone.localdate()).suggestions
    [suggestion] = [s for s in suggestions if s.mentor == nearby]
    distance = next(c for c in suggestion.criteria if c.key == "distance")
    assert distance.points > 0 and distance.sentence.startswith("Both live in LS6.")


def test_an_import_refuses_a_town_name_too():
    """A spreadsheet row is checked with the same rule as the form."""
    row = MenteeRow(data={"home_area": "East Annaview"})
    row.is_valid()
    assert row.errors["home_area"] == [HOME_AREA_ERROR]
    row = MenteeRow(data={"home_area": "bd7 1aa"})
    row.is_valid()
    assert "home_area" not in row.errors and row.cleaned_data["home_area"] == "BD7"
