"""Import of past relationships and meetings: the caseload import's rules, plus one mentor at a
time, referrals that follow the match, and private notes that never travel in files."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent
from audit.selectors import ACTION_LABELS
from conftest import client_for
from home.tests.importing import import_through_page
from mentees.imports import mentees_import
from mentees.models import Referral
from mentees.tests.factories import ConsentFactory, MenteeFactory, ReferralFactory
from relationships.imports import relationships_import
from relationships.meetings.imports import meetings_import
from relationships.models import Meeting, Pause, Relationship, RelationshipChange
from schemes.tests.factories import MentorFactory


def ago(days: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days)).isoformat()


@pytest.fixture
def people(world):
    """Two people awaiting a match (for 100 days) and two active mentors, with references."""
    for reference, family in (("MT-1", "Quillfeather"), ("MT-2", "Brackenridge")):
        mentee = MenteeFactory(scheme=world.scheme_a, reference=reference, family_name=family)
        ConsentFactory(mentee=mentee, given_on=timezone.localdate() - datetime.timedelta(100))
        ReferralFactory(
            mentee=mentee,
            status=Referral.Status.AWAITING_MATCH,
            referred_on=timezone.localdate() - datetime.timedelta(120),
            status_changed_on=timezone.localdate() - datetime.timedelta(100),
        )
    for reference, family in (("VOL-1", "Haverstock"), ("VOL-2", "Penhallow")):
        MentorFactory(scheme=world.scheme_a, reference=reference, family_name=family, active=True)
    return world


REL_HEADER = (
    "mentee_reference,mentor_reference,matched_on,status,closed_on,closure_type,"
    "closure_reason,paused_on,pause_reason,exit_plan\n"
)


def rel_good() -> str:
    return REL_HEADER + (
        f"MT-1,VOL-1,{ago(90)},closed,{ago(60)},unplanned,lost_contact,,,\n"
        f"MT-1,VOL-2,{ago(50)},paused,,,,{ago(10)},hospital,\n"
        f"MT-2,VOL-2,{ago(80)},active,,,,,,\n"
    )


MEET_HEADER = (
    "mentee_reference,mentor_reference,matched_on,held_on,time,mode,initiated_by,purpose,"
    "outcome,note_shared,duration_minutes\n"
)


def meet_good() -> str:
    return MEET_HEADER + (
        f"MT-2,VOL-2,{ago(80)},{ago(75)},10:30,face_to_face,mentee,goals,met,Made a CV,45\n"
        f"MT-2,VOL-2,{ago(80)},{ago(70)},,phone,mentor,help_for,did_not_attend,,45\n"
        f"MT-1,VOL-1,{ago(90)},{ago(85)},14:00,custody_visit,mentor,goals,met,,45\n"
    )


def rels(world, text: str, dry_run: bool = False):
    return relationships_import(
        by=world.coordinator_a, scheme=world.scheme_a, data=text.encode(), dry_run=dry_run
    )


def meets(world, text: str | bytes, dry_run: bool = False):
    data = text.encode() if isinstance(text, str) else text
    return meetings_import(
        by=world.coordinator_a, scheme=world.scheme_a, data=data, dry_run=dry_run
    )


def imported_relationships() -> int:
    return Relationship.objects.filter(mentee__reference__startswith="MT-").count()


def imported_meetings() -> int:
    return Meeting.objects.filter(relationship__mentee__reference__startswith="MT-").count()


def test_relationships_import_with_their_history_and_the_referral_follows(people):
    """A closed and then a paused match for one person, an active one for another: each
    gets its dated history, the pause is a period, and each referral follows the latest match."""
    report = rels(people, rel_good())
    assert (report.ok, report.created, report.already_present) == (True, 3, 0), report.problems
    paused = Relationship.objects.get(mentee__reference="MT-1", status="paused")
    assert paused.pauses.get().reason == Pause.Reason.HOSPITAL
    assert [c.to_status for c in paused.changes.all()] == ["introduced", "paused"]
    closed = Relationship.objects.get(mentee__reference="MT-1", status="closed")
    assert closed.closure_reason == "lost_contact" and closed.next_review_on is None
    assert paused.next_review_on > timezone.localdate()
    one = Referral.objects.get(mentee__reference="MT-1")
    assert one.status == Referral.Status.ACTIVE
    assert [t.to_status for t in one.transitions.order_by("on", "pk")] == ["matched", "active"]
    assert Referral.objects.get(mentee__reference="MT-2").status == Referral.Status.ACTIVE
    events = AuditEvent.objects.filter(action="relationship.imported", actor=people.coordinator_a)
    assert events.count() == 3


def test_a_closed_match_ends_the_referral(people):
    text = REL_HEADER + f"MT-2,VOL-1,{ago(90)},closed,{ago(30)},planned,goals_achieved,,,\n"
    assert rels(people, text).ok
    referral = Referral.objects.get(mentee__reference="MT-2")
    assert (referral.status, referral.status_changed_on.isoformat()) == ("ended", ago(30))


def test_importing_relationships_again_adds_nothing_twice(people):
    rels(people, rel_good())
    again = rels(people, rel_good())
    assert (again.ok, again.created, again.already_present) == (True, 0, 3)
    assert imported_relationships() == 3
    assert RelationshipChange.objects.filter(relationship__mentee__reference="MT-2").count() == 2


def test_a_dry_run_checks_relationships_and_writes_nothing(people):
    report = rels(people, rel_good(), dry_run=True)
    assert report.ok and report.rows == 3
    assert imported_relationships() == 0
    assert Referral.objects.get(mentee__reference="MT-1").status == "awaiting_match"


BAD_RELATIONSHIPS = {
    "missing column": (
        "mentee_reference,mentor_reference\nMT-1,VOL-1\n",
        "Missing columns: matched_on, status.",
    ),
    "bad date": (REL_HEADER + "MT-1,VOL-1,yesterday,active,,,,,,\n", "Not a date."),
    "unknown code": (REL_HEADER + f"MT-1,VOL-1,{ago(9)},dormant,,,,,,\n", "“dormant” is not"),
    "unknown mentee": (REL_HEADER + f"MT-9,VOL-1,{ago(9)},active,,,,,,\n", "No mentee in this"),
    "unknown mentor": (REL_HEADER + f"MT-1,VOL-9,{ago(9)},active,,,,,,\n", "No mentor in this"),
    "duplicate rows": (
        REL_HEADER + f"MT-1,VOL-1,{ago(9)},active,,,,,,\n" * 2,
        f"MT-1 with VOL-1 matched on {ago(9)} is also on line 2.",
    ),
    "overlapping open relationships": (
        REL_HEADER + f"MT-1,VOL-1,{ago(20)},active,,,,,,\nMT-1,VOL-2,{ago(9)},active,,,,,,\n",
        "a person has one mentor at a time",
    ),
    "closed after the next began": (
        REL_HEADER
        + f"MT-1,VOL-1,{ago(20)},closed,{ago(5)},unplanned,other,,,\n"
        + f"MT-1,VOL-2,{ago(9)},active,,,,,,\n",
        "Overlaps line 2",
    ),
    "closed without a reason": (
        REL_HEADER + f"MT-1,VOL-1,{ago(20)},closed,{ago(5)},planned,,,,\n",
        "Needed for a closed relationship.",
    ),
    "closure date on an open one": (
        REL_HEADER + f"MT-1,VOL-1,{ago(20)},active,{ago(5)},,,,,\n",
        "Only for a closed relationship.",
    ),
    "ending without a plan": (
        REL_HEADER + f"MT-1,VOL-1,{ago(20)},ending,,,,,,\n",
        "Needed for a relationship that is ending.",
    ),
    "matched before waiting": (
        REL_HEADER + f"MT-1,VOL-1,{ago(110)},active,,,,,,\n",
        "Before MT-1 began waiting for a match",
    ),
    "matched before the mentor was active": (
        REL_HEADER + f"MT-1,VOL-1,{ago(1000)},closed,{ago(900)},unplanned,other,,,\n",
        "was not an active mentor on that day",
    ),
    "empty file": ("", "The file is empty."),
}


@pytest.mark.parametrize("case", list(BAD_RELATIONSHIPS))
def test_a_bad_relationships_file_is_explained_and_nothing_is_written(people, case):
    """One bad row stops the whole file, even with good rows before it."""
    text, message = BAD_RELATIONSHIPS[case]
    report = rels(people, text)
    assert not report.ok
    assert any(message in p.message for p in report.problems), report.problems
    assert imported_relationships() == 0
    assert Referral.objects.get(mentee__reference="MT-1").status == "awaiting_match"


def test_one_bad_relationship_among_good_ones_writes_nothing_and_names_the_line(people):
    report = rels(people, rel_good() + f"MT-2,VOL-1,{ago(9)},active,,,,,,\n")
    assert [(p.line, p.column) for p in report.problems] == [(5, "matched_on")]
    assert imported_relationships() == 0


def test_a_relationships_file_that_is_not_utf8_says_how_to_save_it(people):
    report = relationships_import(
        by=people.coordinator_a,
        scheme=people.scheme_a,
        data=rel_good().replace("MT-2", "MT-Zoë").encode("cp1252"),
    )
    assert "CSV UTF-8" in report.problems[0].message
    assert imported_relationships() == 0


def test_a_match_overlapping_one_already_in_tandem_is_refused(people):
    rels(people, REL_HEADER + f"MT-2,VOL-1,{ago(40)},active,,,,,,\n")
    report = rels(people, REL_HEADER + f"MT-2,VOL-2,{ago(20)},active,,,,,,\n")
    assert "Overlaps a relationship already in Tandem" in report.problems[0].message
    assert imported_relationships() == 1


def test_someone_not_awaiting_a_match_cannot_be_matched_by_import(people):
    Referral.objects.filter(mentee__reference="MT-1").update(status="assessing")
    report = rels(people, REL_HEADER + f"MT-1,VOL-1,{ago(20)},active,,,,,,\n")
    assert "only someone awaiting a match can be matched" in report.problems[0].message


def test_the_caseload_import_points_matched_people_to_the_relationships_import(world):
    text = (
        "reference,given_name,family_name,referral_source,referred_on,referral_status\n"
        f"NG-1,Ann,Smith,prison,{ago(30)},active\n"
    )
    report = mentees_import(by=world.coordinator_a, scheme=world.scheme_a, data=text.encode())
    assert "then import the relationship" in report.problems[0].message


# Meetings ------------------------------------------------------------------------------------


def test_meetings_import_each_with_a_fresh_client_id(people):
    rels(people, rel_good())
    report = meets(people, meet_good())
    assert (report.ok, report.created) == (True, 3), report.problems
    meetings = Meeting.objects.filter(relationship__mentee__reference="MT-2").order_by("held_at")
    first = meetings[0]
    assert timezone.localtime(first.held_at).strftime("%H:%M") == "10:30"
    assert first.note_shared == "Made a CV" and first.note_private == ""
    assert timezone.localtime(meetings[1].held_at).strftime("%H:%M") == "12:00"
    assert len({m.client_id for m in Meeting.objects.all()}) == Meeting.objects.count()
    assert AuditEvent.objects.filter(action="meeting.imported").count() == 3


def test_importing_meetings_again_adds_nothing_twice(people):
    rels(people, rel_good())
    meets(people, meet_good())
    again = meets(people, meet_good())
    assert (again.ok, again.created, again.already_present) == (True, 0, 3)
    assert imported_meetings() == 3


def test_a_held_first_meeting_makes_an_introduced_match_active(people):
    """As logging a first meeting in Tandem does: the match and the referral move on."""
    rels(people, REL_HEADER + f"MT-2,VOL-1,{ago(40)},introduced,,,,,,\n")
    assert Referral.objects.get(mentee__reference="MT-2").status == "matched"
    text = MEET_HEADER + f"MT-2,VOL-1,{ago(40)},{ago(30)},,phone,mentee,goals,met,,30\n"
    assert meets(people, text).ok
    relationship = Relationship.objects.get(mentee__reference="MT-2")
    assert relationship.status == "active"
    assert relationship.changes.last().on.isoformat() == ago(30)
    assert Referral.objects.get(mentee__reference="MT-2").status == "active"


def test_a_file_with_private_notes_is_refused_unread(people):
    rels(people, rel_good())
    text = (
        MEET_HEADER.strip()
        + ",note_private\n"
        + f"MT-2,VOL-2,{ago(80)},{ago(75)},,phone,mentee,goals,met,,45,Only mine\n"
    )
    report = meets(people, text)
    assert [(p.column, "never travel in files" in p.message) for p in report.problems] == [
        ("note_private", True)
    ]
    assert imported_meetings() == 0
    assert not Meeting.objects.filter(note_private="Only mine").exists()


BAD_MEETINGS = {
    "missing column": ("mentee_reference,held_on\nMT-2,2026-01-01\n", "Missing columns"),
    "bad date": (f"MT-2,VOL-2,{ago(80)},last tuesday,,phone,mentee,goals,met,,45\n", "Not a date."),
    "bad time": (
        f"MT-2,VOL-2,{ago(80)},{ago(75)},noon,phone,mentee,goals,met,,45\n",
        "Not a time.",
    ),
    "unknown code": (f"MT-2,VOL-2,{ago(80)},{ago(75)},,pigeon,mentee,goals,met,,45\n", "“pigeon”"),
    "unknown mentee": (
        f"MT-7,VOL-2,{ago(80)},{ago(75)},,phone,mentee,goals,met,,45\n",
        "No mentee in this scheme has the reference MT-7",
    ),
    "no such relationship": (
        f"MT-2,VOL-1,{ago(80)},{ago(75)},,phone,mentee,goals,met,,45\n",
        "Import relationships first.",
    ),
    "duplicate rows": (
        f"MT-2,VOL-2,{ago(80)},{ago(5)},09:00,phone,mentee,goals,met,,45\n" * 2,
        "is also on line",
    ),
    "before the match": (
        f"MT-2,VOL-2,{ago(80)},{ago(81)},,phone,mentee,goals,met,,45\n",
        "Before the match date.",
    ),
    "after the closure": (
        f"MT-1,VOL-1,{ago(90)},{ago(59)},,phone,mentee,goals,met,,45\n",
        "After the relationship closed",
    ),
    "future": (
        f"MT-2,VOL-2,{ago(80)},{ago(-3)},,phone,mentee,goals,met,,45\n",
        "Cannot be in the future.",
    ),
}


@pytest.mark.parametrize("case", list(BAD_MEETINGS))
def test_a_bad_meetings_file_is_explained_and_nothing_is_written(people, case):
    rels(people, rel_good())
    row, message = BAD_MEETINGS[case]
    text = row if case == "missing column" else meet_good() + row
    report = meets(people, text)
    assert not report.ok
    assert any(message in p.message for p in report.problems), report.problems
    assert imported_meetings() == 0


def test_meeting_problems_name_the_line(people):
    rels(people, rel_good())
    report = meets(people, meet_good() + f"MT-2,VOL-2,{ago(80)},bad,,phone,mentee,goals,met,,45\n")
    assert [(p.line, p.column) for p in report.problems] == [(5, "held_on")]


def test_the_upload_page_and_the_command_take_both_kinds(people, tmp_path, capsys):
    job, _ = import_through_page(
        client_for(people.coordinator_a),
        kind="relationships",
        scheme_id=people.scheme_a.pk,
        name="matches.csv",
        data=rel_good().encode(),
    )
    assert job.status == "done"
    assert imported_relationships() == 3
    path = tmp_path / "meetings.csv"
    path.write_text(meet_good())
    call_command(
        "import_records",
        "meetings",
        str(path),
        "--scheme",
        str(people.scheme_a.pk),
        "--by",
        people.coordinator_a.email,
    )
    assert "Imported 3 of 3 rows" in capsys.readouterr().out


def test_the_new_audit_actions_have_labels():
    assert {"relationship.imported", "meeting.imported"} <= ACTION_LABELS.keys()
