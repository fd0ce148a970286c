"""The security review's replays against erasure and subject access: notices naming the
person that link to a mentor's own list survived erasure, and an export made before erasure
could still be released and downloaded after it. Each test shows the gap is closed."""

import datetime

from django.urls import reverse
from django.utils import timezone

from conftest import World, client_for
from core.models import Notification
from privacy.models import SubjectAccessExport
from privacy.services import retention_run
from privacy.tests.people import Person, person_with_everything
from relationships.life.notices import mentor_told_of_closure
from relationships.matching.offer_notices import suggestions_url, tell_coordinators, tell_mentor
from relationships.models import MatchOffer


def _ended(world: World, days: int) -> Person:
    return person_with_everything(
        scheme=world.scheme_a,
        mentor=world.mentor_file_a,
        staff=world.coordinator_a,
        ended_on=timezone.localdate() - datetime.timedelta(days=days),
    )


def _notices_naming(person: Person) -> str:
    """Send the notices that name the person but link elsewhere than their records: the
    mentor's "match closed" and an offer's notes to the mentor and to the coordinators."""
    given = person.mentee.given_name
    mentor_told_of_closure(person.relationship)
    offer = MatchOffer.objects.get(mentee=person.mentee)
    tell_mentor(offer=offer, subject=f"The offer to mentor {given} has closed", body=given)
    tell_coordinators(
        offer=offer, subject=f"{given} needs another mentor", body=given, url=suggestions_url(offer)
    )
    return given


def _naming(given: str) -> list[tuple[str, str]]:
    rows = Notification.objects.filter(subject__contains=given) | Notification.objects.filter(
        body__contains=given
    )
    return list(rows.values_list("subject", "body"))


def test_erasure_removes_the_name_from_notices_that_link_to_a_mentors_list(world):
    """The mentor's "Your match with ... has closed" links to /my/mentees/; after the
    manager erases the record no notification carries the person's name."""
    person = _ended(world, 3)
    given = _notices_naming(person)
    assert len(_naming(given)) >= 4
    response = client_for(world.manager).post(
        reverse("privacy:erase", args=[person.mentee.pk]), {"reason": "person_asked"}
    )
    assert response.status_code == 302
    assert _naming(given) == []


def test_retention_removes_the_name_from_every_notice_about_the_person(world):
    """The same notices, on a person past retention: the run removes their name too."""
    today = timezone.localdate()
    person = _ended(world, (today - today.replace(year=today.year - 7)).days)
    given = _notices_naming(person)
    assert retention_run().people_anonymised == 1
    assert _naming(given) == []


def test_an_export_made_before_erasure_can_be_neither_released_nor_downloaded(world):
    """A released export and a draft, both made before the erasure: afterwards the released
    one no longer downloads, the draft cannot be released, both have lost their files, and
    no new draft can be made, each refusal saying why."""
    person = _ended(world, 3)
    manager = client_for(world.manager)
    generate = reverse("privacy:access_generate", args=[person.mentee.pk])
    manager.post(generate)
    released = SubjectAccessExport.objects.get(mentee=person.mentee)
    manager.post(reverse("privacy:access_release", args=[released.pk]))
    manager.post(generate)
    draft = SubjectAccessExport.objects.filter(mentee=person.mentee).exclude(pk=released.pk).get()
    download = reverse("privacy:access_download", args=[released.pk, "json"])
    assert manager.get(download).status_code == 200
    manager.post(reverse("privacy:erase", args=[person.mentee.pk]), {"reason": "person_asked"})

    assert manager.get(download).status_code == 404
    assert (
        manager.get(reverse("privacy:access_download", args=[released.pk, "pdf"])).status_code
        == 404
    )
    page = manager.post(reverse("privacy:access_release", args=[draft.pk]), follow=True)
    assert "has been anonymised" in page.content.decode()
    for export in SubjectAccessExport.objects.filter(mentee=person.mentee):
        assert (export.status, export.record, export.pdf) == ("expired", None, None)
    page = manager.post(generate, follow=True)
    assert "has been anonymised" in page.content.decode()
    assert SubjectAccessExport.objects.filter(mentee=person.mentee).count() == 2
