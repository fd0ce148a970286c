"""A mentor's home area follows the mentee's rule (core.postcodes): what a coordinator types
on the form or in a spreadsheet is read the same way for both, so matching compares like with
like."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import client_for
from core.postcodes import HOME_AREA_ERROR
from schemes.mentors.imports import mentors_import
from schemes.models import Mentor
from schemes.tests.factories import MentorFactory
from schemes.tests.mentor_kit import create_mentor

pytestmark = pytest.mark.django_db
HEADER_ROW = "reference,given_name,family_name,applied_on,kind,home_area\n"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("LS6 2AB", "LS6"), ("Flat B2, 14 Cardigan Rd, Leeds LS6 1LJ", "LS6"), ("ls 6", "LS6")],
)
def test_the_mentor_form_reads_a_full_postcode_as_the_referral_form_does(world, typed, kept):
    """A full postcode or an address ending in one gives its district, as for a mentee."""
    mentor = MentorFactory(scheme=world.scheme_a, home_area="")
    response = client_for(world.coordinator_a).post(
        reverse("mentors:edit", args=[mentor.pk]),
        {"given_name": "A", "family_name": "B", "kind": "volunteer", "home_area": typed},
    )
    assert response.status_code == 302
    mentor.refresh_from_db()
    assert mentor.home_area == kept


def test_the_mentor_import_reads_a_full_postcode_too(world):
    """A spreadsheet's "ls6 2ab" is LS6, as on the mentee import; a town is refused in the
    same words as on the forms."""
    report = mentors_import(
        by=world.coordinator_a,
        scheme=world.scheme_a,
        data=(HEADER_ROW + "V-1,Al,Day,2025-01-10,,ls6 2ab\n").encode(),
    )
    assert report.ok, report.problems
    assert Mentor.objects.get(reference="V-1").home_area == "LS6"
    with pytest.raises(ValidationError, match="first half of their postcode"):
        create_mentor(world, home_area="Room E1, Hostel")
    assert HOME_AREA_ERROR.startswith("Enter the first half of their postcode")
