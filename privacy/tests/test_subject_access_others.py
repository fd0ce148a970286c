"""Subject access and other people: the record leaves out what is about someone else (a
mentor's reason for declining, who a notification went to and its body), the review page
warns the manager where others may still be named and lets them withhold those sections,
and the files say nothing of it; and the
"who opened the record" log holds every audit event on any of the person's records."""

import datetime
import json
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from conftest import World, client_for
from flags.models import Flag
from flags.services import flag_viewed
from privacy.record import subject_access_record
from privacy.render import record_json
from privacy.services import subject_access_generate
from privacy.tests.people import WORDS, Person, person_with_everything
from relationships.life.notices import mentor_told_of_closure
from relationships.models import MatchOffer

DECLINED = "My cousin Dean lives on her street"
WARNING = "This section may hold information about other people"


@pytest.fixture
def person(world: World) -> Person:
    return person_with_everything(
        scheme=world.scheme_a,
        mentor=world.mentor_file_a,
        staff=world.coordinator_a,
        ended_on=timezone.localdate() - datetime.timedelta(days=40),
    )


def _sections(person: Person) -> dict[str, str]:
    record = subject_access_record(person.mentee, now=timezone.now())
    return {s["key"]: json.dumps(s["items"], ensure_ascii=False) for s in record["sections"]}


def test_decline_notes_and_notification_readers_are_left_out(world, person):
    """A mentor's note on declining an offer, and who each notification went to, are about
    other people: the record has neither, but still lists the notices about the person,
    including the mentor's "match closed" that links to the mentor's own list."""
    MatchOffer.objects.filter(mentee=person.mentee).update(decline_note=DECLINED)
    mentor_told_of_closure(person.relationship)
    sections = _sections(person)
    assert DECLINED not in json.dumps(sections)
    notices = sections["notifications"]
    assert f"Your match with {person.mentee.given_name} has closed" in notices
    assert "raised about" in notices
    assert "Recipient" not in notices and world.mentor_a.email not in notices
    assert "private notes" not in notices  # the mentor's body is left out


def test_the_review_page_warns_where_others_may_be_named_and_the_files_do_not(
    world, person, tmp_path
):
    """The draft on screen marks the restrictions and concerns as possibly naming others,
    for the manager to check and redact; the JSON and the PDF carry no such words."""
    export = subject_access_generate(by=world.manager, mentee=person.mentee)
    review = reverse("privacy:access_review", args=[export.pk])
    page = client_for(world.manager).get(review).content.decode()
    for key in ("restrictions", "concerns", "meetings"):
        section = page.split(f'id="sar-{key}"')[1].split("</section>")[0]
        assert WARNING in section, key
    goals = page.split('id="sar-goals"')[1].split("</section>")[0]
    assert WARNING not in goals
    assert export.record is not None
    assert "redact" not in record_json(export.record).decode().lower()
    pdf = tmp_path / "sar.pdf"
    pdf.write_bytes(bytes(export.pdf or b""))
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils missing: scripts/with-services installs it (make test)"
    text = subprocess.run(  # noqa: S603 (our own fixed arguments)
        [pdftotext, str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Safety restrictions" in text and "redact" not in text.lower()


def test_the_access_log_holds_every_event_on_the_persons_records(world, person):
    """A flag viewed, a meeting, goal, restriction, offer and concern each audited: every
    event is in the log, and an event on someone else's record is not."""
    flag = Flag.objects.get(relationship=person.relationship)
    flag_viewed(flag=flag, by=world.coordinator_a)
    targets = [
        person.relationship.meetings.get(),
        person.relationship.goals.get(),
        person.mentee.restrictions.get(),
        MatchOffer.objects.get(mentee=person.mentee),
        person.concern,
    ]
    for target in targets:
        audit_record(actor=world.coordinator_a, action="probe.seen", target=target)
    audit_record(actor=world.coordinator_a, action="probe.other", target=world.mentee_a)
    log = _sections(person)["access_log"]
    assert "flag.viewed" in log
    for target in targets:
        assert f"{target._meta.label_lower} {target.pk}" in log
    assert "probe.other" not in log


def test_a_section_withheld_at_release_is_in_neither_file(world, person, tmp_path):
    """The manager ticks "Withhold this section" on the safety restrictions and releases:
    the JSON and the PDF have no such section and none of its words, the other sections
    stay, and the audit says which section was withheld, by its key."""
    export = subject_access_generate(by=world.manager, mentee=person.mentee)
    manager = client_for(world.manager)
    page = manager.get(reverse("privacy:access_review", args=[export.pk])).content.decode()
    assert 'name="withhold" value="restrictions"' in page
    manager.post(
        reverse("privacy:access_release", args=[export.pk]),
        {"withhold": ["restrictions", "person"]},  # only a marked section can be withheld
    )
    download = manager.get(reverse("privacy:access_download", args=[export.pk, "json"]))
    keys = [s["key"] for s in json.loads(download.content)["sections"]]
    assert "restrictions" not in keys and {"person", "concerns"} <= set(keys)
    assert WORDS["restriction"] not in download.content.decode()
    pdf = tmp_path / "sar.pdf"
    pdf.write_bytes(
        manager.get(reverse("privacy:access_download", args=[export.pk, "pdf"])).content
    )
    text = subprocess.run(  # noqa: S603 (our own fixed arguments)
        [shutil.which("pdftotext") or "pdftotext", str(pdf), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert "Safety restrictions" not in text and "Concerns about them" in text
    event = AuditEvent.objects.get(action="subject_access.released")
    assert event.detail["withheld"] == ["restrictions"]
