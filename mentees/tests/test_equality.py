"""Equality monitoring on a person's record: asked only if they choose, every question
optional with "Prefer not to say", the answers removed when they ask, each step audited by
the questions' names alone; a mentor never sees the answers, anywhere."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from conftest import client_for
from mentees.models import Mentee
from privacy.record import subject_access_record

#: Answers whose words would show on a page if they leaked: "White: Roma" and "In another way".
ANSWERS = {"gender": "another_way", "ethnicity": "white_roma", "disability": "yes"}
LEAKS = re.compile(r"Roma\b|In another way|equality", re.IGNORECASE)


def _answer(mentee: Mentee, **answers) -> Mentee:
    Mentee.objects.filter(pk=mentee.pk).update(
        **(answers or ANSWERS), equality_answered_on=timezone.localdate()
    )
    mentee.refresh_from_db()
    return mentee


def _page(world, role="coordinator_a", mentee=None):
    mentee = mentee or world.mentee_a
    return client_for(world.users()[role]).get(reverse("mentees:equality", args=[mentee.pk]))


def test_the_page_says_what_the_answers_are_for_and_that_each_is_optional(world):
    """The coordinator reads why the questions are asked (who the scheme reaches, numbers
    only with small groups hidden), that every question may be left, that matching never
    uses them; each question offers "Prefer not to say"; opening it is audited."""
    response = _page(world)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Equality monitoring (optional)" in body
    assert "who the scheme reaches" in body
    assert "hide any group smaller than five" in body
    assert "Every question is optional" in body
    assert "never used for matching" in body
    assert body.count('value="not_said"') == 3
    assert AuditEvent.objects.filter(
        action="mentee.equality_viewed", target_id=str(world.mentee_a.pk)
    ).exists()


def test_saving_records_the_answers_and_the_day_and_audits_only_the_questions(world):
    """The answers given are stored with today's date; a question left unanswered stays
    blank; the audit names the questions answered, never an answer."""
    client = client_for(world.coordinator_a)
    url = reverse("mentees:equality", args=[world.mentee_a.pk])
    response = client.post(url, {"gender": "woman", "ethnicity": "not_said", "disability": ""})
    assert response.status_code == 302
    mentee = Mentee.objects.get(pk=world.mentee_a.pk)
    assert (mentee.gender, mentee.ethnicity, mentee.disability) == ("woman", "not_said", "")
    assert mentee.equality_answered_on == timezone.localdate()
    event = AuditEvent.objects.get(action="mentee.equality_recorded")
    assert event.detail == {"fields": ["gender", "ethnicity"]}
    assert "woman" not in str(event.detail) and "not_said" not in str(event.detail)


def test_nothing_answered_is_not_saved_and_says_why(world):
    """Every question left unanswered: nothing to save, and the form says so at the top."""
    client = client_for(world.coordinator_a)
    url = reverse("mentees:equality", args=[world.mentee_a.pk])
    response = client.post(url, {"gender": "", "ethnicity": "", "disability": ""})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert Mentee.objects.get(pk=world.mentee_a.pk).equality_answered_on is None


def test_the_coordinator_removes_every_answer_when_the_person_asks(world):
    """ "Remove all their answers" blanks every answer and the date (they count as not asked
    again); the audit names the questions that had an answer."""
    _answer(world.mentee_a, gender="man", ethnicity="", disability="no")
    page = _page(world).content.decode()
    assert "Remove all their answers" in page
    client = client_for(world.coordinator_a)
    response = client.post(reverse("mentees:equality_clear", args=[world.mentee_a.pk]))
    assert response.status_code == 302
    mentee = Mentee.objects.get(pk=world.mentee_a.pk)
    assert (mentee.gender, mentee.ethnicity, mentee.disability) == ("", "", "")
    assert mentee.equality_answered_on is None
    assert AuditEvent.objects.get(action="mentee.equality_cleared").detail == {
        "fields": ["gender", "disability"]
    }


def test_the_record_page_offers_the_questions_to_the_coordinator_without_the_answers(world):
    """The person's page says whether they answered and links to the questions; the answers
    themselves are only on the equality page."""
    _answer(world.mentee_a)
    page = client_for(world.coordinator_a).get(reverse("mentees:detail", args=[world.mentee_a.pk]))
    body = page.content.decode()
    assert reverse("mentees:equality", args=[world.mentee_a.pk]) in body
    assert "Answered on" in body
    assert not re.search(r"Roma\b|In another way", body)


@pytest.mark.parametrize(
    "url",
    [
        lambda w: reverse("mentees:detail", args=[w.mentee_a.pk]),
        lambda w: reverse("relationships:detail", args=[w.relationship_a.pk]),
        lambda w: reverse("relationships:my_mentees"),
        lambda w: reverse("relationships:meetings", args=[w.relationship_a.pk]),
        lambda w: reverse("relationships:meeting_new", args=[w.relationship_a.pk]),
    ],
    ids=["mentee page", "relationship page", "my mentees", "meetings", "log a meeting"],
)
def test_a_mentor_never_sees_the_answers(world, url):
    """Their own mentee's answers appear on no page the mentor opens: not on the mentee's
    page, the relationship's page, their list or the meeting pages; not even a link."""
    _answer(world.mentee_a)
    response = client_for(world.mentor_a).get(url(world))
    assert response.status_code == 200
    assert not LEAKS.search(response.content.decode())


def test_a_mentor_and_a_manager_cannot_open_the_answers(world):
    """The equality page is for the person's coordinators: a mentor (even of this person)
    and a manager get 403, and saving is refused them too."""
    _answer(world.mentee_a)
    assert _page(world, "mentor").status_code == 403
    assert _page(world, "manager").status_code == 403
    url = reverse("mentees:equality", args=[world.mentee_a.pk])
    assert client_for(world.mentor_a).post(url, {"gender": "man"}).status_code == 403
    assert Mentee.objects.get(pk=world.mentee_a.pk).gender == "another_way"


def test_the_subject_access_record_includes_the_answers(world):
    """A person asking for their record gets their own answers, in words."""
    mentee = _answer(world.mentee_a)
    person = subject_access_record(mentee, now=timezone.now())["sections"][0]
    fields = dict(person["items"][0]["fields"])
    assert fields["Gender"] == "In another way"
    assert fields["Ethnicity"] == "White: Roma"
    assert fields["Disability"] == "Yes"
    assert fields["Equality answered on"]


def test_a_person_imported_without_a_name_is_linked_by_their_reference(world):
    """Someone imported with only a reference: the link back to their record says the
    reference (as everywhere else), not an empty link."""
    Mentee.objects.filter(pk=world.mentee_a.pk).update(given_name="", family_name="")
    world.mentee_a.refresh_from_db()
    body = _page(world).content.decode()
    detail = reverse("mentees:detail", args=[world.mentee_a.pk])
    assert f'<a href="{detail}">{world.mentee_a.reference}</a>' in body
    assert f'<a href="{detail}"> </a>' not in body
