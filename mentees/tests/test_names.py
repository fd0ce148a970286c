"""Names: Tandem's forms ask for them, but a person imported by reference only (no name in
the scheme's records) can still be edited without inventing one, and their pages show the
reference once, not "P-2002 · P-2002"."""

import pytest
from django.urls import reverse

from conftest import client_for
from mentees.models import Mentee
from mentees.tests.test_referrals import referral_post
from schemes.models import Mentor
from schemes.tests.factories import MentorFactory

pytestmark = pytest.mark.django_db


def _edit(client, url: str, **changes):
    initial = client.get(url).context["form"].initial
    data = {k: "" if v is None else str(v) for k, v in initial.items()}
    return client.post(url, {**data, **changes})


def test_a_new_referral_asks_for_both_names(world):
    """Referring someone new without a name is refused in the user's words."""
    response = referral_post(world, given_name="", family_name="")
    errors = response.context["form"].errors
    assert errors["given_name"] == ["Enter given name"]
    assert errors["family_name"] == ["Enter family name"]
    assert not Mentee.objects.filter(reference__isnull=False, given_name="").exists()


def test_editing_a_named_mentee_cannot_blank_their_names(world):
    """A name the record holds cannot be wiped on Edit details."""
    client = client_for(world.coordinator_a)
    response = _edit(client, reverse("mentees:edit", args=[world.mentee_a.pk]), family_name="")
    assert response.context["form"].errors["family_name"] == ["Enter family name"]


def test_a_mentee_imported_without_names_is_edited_without_inventing_one(world):
    """Someone imported by reference only keeps blank names through an edit of their phone;
    the form says the names are optional here and why."""
    mentee = world.mentee_a
    Mentee.objects.filter(pk=mentee.pk).update(given_name="", family_name="")
    client = client_for(world.coordinator_a)
    url = reverse("mentees:edit", args=[mentee.pk])
    page = client.get(url).content.decode()
    assert "imported by reference" in page
    response = _edit(client, url, phone="07700 900999")
    assert response.status_code == 302, response.context["form"].errors
    mentee.refresh_from_db()
    assert (mentee.given_name, mentee.family_name, mentee.phone) == ("", "", "07700 900999")


def test_a_mentor_imported_without_names_is_edited_without_inventing_one(world):
    """The mentor's Edit page too: a name the record never held may stay blank."""
    mentor = MentorFactory(scheme=world.scheme_a, given_name="", family_name="")
    client = client_for(world.coordinator_a)
    response = _edit(client, reverse("mentors:edit", args=[mentor.pk]), phone="07700 900111")
    assert response.status_code == 302, response.context["form"].errors
    assert Mentor.objects.get(pk=mentor.pk).phone == "07700 900111"


def test_a_mentee_without_a_name_shows_their_reference_once(world):
    """The record's heading and the list show "P-2002", not "P-2002 · P-2002"."""
    mentee = world.mentee_a
    Mentee.objects.filter(pk=mentee.pk).update(given_name="", family_name="")
    client = client_for(world.coordinator_a)
    page = client.get(reverse("mentees:detail", args=[mentee.pk])).content.decode()
    assert f"{mentee.reference} · {mentee.reference}" not in page
    assert f"{mentee.reference} · {world.scheme_a.name}" not in page
    listing = client.get(reverse("mentees:list")).content.decode()
    assert f"{mentee.reference} · {world.scheme_a.name}" not in listing
    assert mentee.reference in listing
