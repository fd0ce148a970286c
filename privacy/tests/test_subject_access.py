"""Subject access: a manager drafts a person's whole record, reads it, releases it, and only
then downloads it; every step is audited; the files go after ``REPORT_FILE_HOURS``."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from conftest import World, client_for
from privacy.models import SubjectAccessExport
from privacy.record import PRIVATE_NOTES_HELD, subject_access_record
from privacy.services import subject_access_expire, subject_access_generate
from privacy.tests.people import WORDS, person_with_everything

#: Each section of the record, and words of an item it must name.
EXPECTED = {
    "person": "A1234BC",
    "referrals": WORDS["reason"],
    "referral_steps": WORDS["reason"],
    "contact_attempts": WORDS["attempt"],
    "consent": "v3",
    "restrictions": WORDS["restriction"],
    "relationships": WORDS["final_review"],
    "relationship_changes": WORDS["final_review"],
    "pauses": "In hospital",
    "meetings": WORDS["meeting"],
    "planned_meetings": WORDS["plan"],
    "goals": WORDS["goal"],
    "steps": WORDS["step"],
    "reviews": WORDS["review"],
    "goal_scores": WORDS["goal"],
    "offers": WORDS["offer"],
    "concerns": WORDS["concern"],
    "concern_actions": WORDS["concern_action"],
    "flags": WORDS["flag"],
    "notifications": "raised about",
    "access_log": "mentee.viewed",
}


@pytest.fixture
def person(world: World):
    return person_with_everything(
        scheme=world.scheme_a,
        mentor=world.mentor_file_a,
        staff=world.coordinator_a,
        ended_on=timezone.localdate() - datetime.timedelta(days=40),
    )


def test_the_record_holds_every_kind_of_record_the_person_has(person):
    """Every section is there, none is empty, and each names a record of this person."""
    record = subject_access_record(person.mentee, now=timezone.now())
    sections = {s["key"]: s for s in record["sections"]}
    assert set(sections) == set(EXPECTED)
    for key, words in EXPECTED.items():
        text = json.dumps(sections[key]["items"], ensure_ascii=False)
        assert sections[key]["items"], key
        assert words in text, key


def test_private_notes_are_said_to_exist_but_not_copied(person):
    """A mentor's private notes stay the mentor's: the record says a meeting has them."""
    text = json.dumps(subject_access_record(person.mentee, now=timezone.now()))
    assert WORDS["private"] not in text
    assert PRIVATE_NOTES_HELD in text


def test_a_manager_drafts_reviews_and_releases_each_step_audited(world, person):
    """Draft, review on screen, release, download: four events, each the manager's."""
    client = client_for(world.manager)
    response = client.post(reverse("privacy:access_generate", args=[person.mentee.pk]))
    export = SubjectAccessExport.objects.get(mentee=person.mentee)
    assert response["Location"] == reverse("privacy:access_review", args=[export.pk])
    page = client.get(response["Location"]).content.decode()
    assert WORDS["goal"] in page and "release the record" in page
    client.post(reverse("privacy:access_release", args=[export.pk]))
    client.get(reverse("privacy:access_download", args=[export.pk, "pdf"]))
    actions = list(
        AuditEvent.objects.filter(target_type="privacy.subjectaccessexport")
        .order_by("pk")
        .values_list("action", "actor")
    )
    assert [a for a, _ in actions] == [
        "subject_access.generated",
        "subject_access.viewed",
        "subject_access.released",
        "subject_access.downloaded",
    ]
    assert {actor for _, actor in actions} == {world.manager.pk}


def test_coordinators_cannot_draft_or_read_an_export(world, person):
    """Subject access is the managers' (403 in the coordinator's scheme, 404 elsewhere)."""
    url = reverse("privacy:access_generate", args=[person.mentee.pk])
    assert client_for(world.coordinator_a).post(url).status_code == 403
    assert client_for(world.coordinator_b).post(url).status_code == 404
    export = subject_access_generate(by=world.manager, mentee=person.mentee)
    review = reverse("privacy:access_review", args=[export.pk])
    assert client_for(world.coordinator_a).get(review).status_code == 403
    assert SubjectAccessExport.objects.count() == 1


def test_the_files_are_deleted_after_the_report_file_hours(world, person, settings):
    """Past ``REPORT_FILE_HOURS`` the record and the PDF are gone and nothing downloads."""
    export = subject_access_generate(by=world.manager, mentee=person.mentee)
    later = timezone.now() + datetime.timedelta(hours=settings.REPORT_FILE_HOURS, minutes=1)
    assert subject_access_expire(now=later) == 1
    export.refresh_from_db()
    assert (export.status, export.record, export.pdf) == ("expired", None, None)
    client = client_for(world.manager)
    response = client.post(reverse("privacy:access_release", args=[export.pk]))
    assert client.get(response["Location"]).status_code == 200
    export.refresh_from_db()
    assert export.status == "expired"
