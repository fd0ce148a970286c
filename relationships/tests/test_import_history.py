"""Past relationships and meetings import as history: matches with a mentor who has since
left (while they were active), closures with their end, and old meetings whose purpose the
records do not give. A blank purpose, duration or outcome is never filled in: it is an error
that says what to write, and nothing is written."""

import datetime

import pytest

from mentees.imports import mentees_import
from mentees.models import Referral
from relationships.imports import relationships_import
from relationships.meetings.imports import BLANK_DURATION, BLANK_OUTCOME, meetings_import
from relationships.models import Meeting, Relationship
from reports.build import build_report
from schemes.mentors.imports import mentors_import

D = datetime.date
MENTEES = (
    "reference,referral_source,referred_on,referral_status,status_changed_on,"
    "consent_recorded_before_tandem\n"
    "HX-1,prison,2019-01-07,awaiting_match,2019-02-01,yes\n"
    "HX-2,probation,2019-03-04,awaiting_match,2019-03-20,yes\n"
)
#: Active from 2019-01-15, left on 2021-06-30, with a check that expired in 2021.
MENTORS = (
    "reference,applied_on,status,status_since,first_active_on,dbs_level,dbs_issued_on,"
    "dbs_expires_on\n"
    "VX-1,2018-11-01,left,2021-06-30,2019-01-15,enhanced,2018-12-01,2021-12-01\n"
)
REL_HEADER = (
    "mentee_reference,mentor_reference,matched_on,status,closed_on,closure_type,closure_reason\n"
)
MEET_HEADER = (
    "mentee_reference,mentor_reference,matched_on,held_on,mode,initiated_by,purpose,"
    "duration_minutes,outcome\n"
)


@pytest.fixture
def history(world):
    """Two people (no names, consent recorded before Tandem) and a mentor who left."""
    for kind, importer, data in (
        ("mentees", mentees_import, MENTEES),
        ("mentors", mentors_import, MENTORS),
    ):
        report = importer(by=world.coordinator_a, scheme=world.scheme_a, data=data.encode())
        assert report.ok, (kind, report.problems)
    return world


def rels(world, rows: str):
    return relationships_import(
        by=world.coordinator_a, scheme=world.scheme_a, data=(REL_HEADER + rows).encode()
    )


def meets(world, rows: str):
    return meetings_import(
        by=world.coordinator_a, scheme=world.scheme_a, data=(MEET_HEADER + rows).encode()
    )


CLOSED = (
    "HX-1,VX-1,2019-02-10,closed,2019-11-30,planned,goals_achieved\n"
    "HX-2,VX-1,2020-01-06,closed,2021-06-30,unplanned,mentor_left\n"
)


def test_past_matches_with_a_mentor_who_left_import_with_their_end(history):
    """Matches begun while the mentor was active import with their end date, kind and
    reason, and each person's referral ends on that day."""
    report = rels(history, CLOSED)
    assert (report.ok, report.created) == (True, 2), report.problems
    second = Relationship.objects.get(mentee__reference="HX-2")
    assert (second.closed_on, second.closure_type, second.closure_reason) == (
        D(2021, 6, 30),
        "unplanned",
        "mentor_left",
    )
    assert [c.to_status for c in second.changes.all()] == ["introduced", "closed"]
    referral = Referral.objects.get(mentee__reference="HX-2")
    assert (referral.status, referral.status_changed_on) == ("ended", D(2021, 6, 30))


def test_the_funder_report_counts_the_imported_closures_as_ended(history):
    """Closures imported with their end are counted: closed, planned, unplanned, and the
    funnel's ended as planned; consent before Tandem counts as consented."""
    assert rels(history, CLOSED).ok
    report = build_report(
        scheme_ids=[history.scheme_a.pk], date_from=D(2019, 1, 1), date_to=D(2021, 12, 31)
    )
    figures = report.section("relationships").figures
    assert (figures["closed"], figures["closed_planned"], figures["closed_unplanned"]) == (2, 1, 1)
    funnel = report.section("funnel").figures
    assert (funnel["referred"], funnel["consented"], funnel["ended_as_planned"]) == (2, 2, 1)


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (
            "HX-1,VX-1,2021-07-01,closed,2021-09-01,unplanned,other\n",
            "matched_on",
            "VX-1 left on 2021-06-30; a match must begin while the mentor was active.",
        ),
        (
            "HX-1,VX-1,2019-01-10,closed,2019-09-01,unplanned,other\n",
            "matched_on",
            "VX-1 was not an active mentor on that day (active from 2019-01-15).",
        ),
        ("HX-1,VX-1,2019-02-10,active,,,\n", "status", "VX-1 has left; close the match."),
    ],
)
def test_a_match_outside_the_mentors_active_time_is_refused(history, row, column, words):
    """After they left, before they were active, or still open with a mentor who left:
    refused in words, and nothing is written."""
    report = rels(history, row)
    assert [(p.column, p.message) for p in report.problems] == [(column, words)]
    assert not Relationship.objects.filter(mentee__reference="HX-1").exists()


def test_old_meetings_import_with_purpose_not_recorded(history):
    """ "not_recorded" is accepted for meetings whose records do not say what they were for."""
    assert rels(history, CLOSED).ok
    report = meets(
        history, "HX-1,VX-1,2019-02-10,2019-02-14,face_to_face,mentor,not_recorded,50,met\n"
    )
    assert report.ok, report.problems
    meeting = Meeting.objects.get(relationship__mentee__reference="HX-1")
    assert (meeting.purpose, meeting.duration_minutes) == ("not_recorded", 50)


def test_a_blank_purpose_is_an_error_that_says_to_write_not_recorded(history):
    """Never a silent default: the message names not_recorded, and nothing is written."""
    assert rels(history, CLOSED).ok
    report = meets(
        history,
        "HX-1,VX-1,2019-02-10,2019-02-14,face_to_face,mentor,goals,50,met\n"
        "HX-1,VX-1,2019-02-10,2019-02-21,face_to_face,mentor,,50,met\n",
    )
    assert [(p.line, p.column) for p in report.problems] == [(3, "purpose")]
    message = report.problems[0].message
    assert message.startswith("The purpose is blank.")
    assert "not_recorded if the records do not say" in message
    assert not Meeting.objects.filter(relationship__mentee__reference="HX-1").exists()


def test_a_blank_duration_is_an_error_never_an_hour(history):
    """A blank duration is refused with a message in the user's words; nothing is written."""
    assert rels(history, CLOSED).ok
    report = meets(
        history,
        "HX-1,VX-1,2019-02-10,2019-02-14,face_to_face,mentor,goals,50,met\n"
        "HX-1,VX-1,2019-02-10,2019-02-21,phone,mentee,goals,,met\n",
    )
    assert [(p.line, p.column, p.message) for p in report.problems] == [
        (3, "duration_minutes", BLANK_DURATION)
    ]
    assert not Meeting.objects.filter(relationship__mentee__reference="HX-1").exists()


def test_a_file_without_the_duration_column_is_refused(history):
    """The column is required: a file without it names it as missing."""
    assert rels(history, CLOSED).ok
    text = (
        "mentee_reference,mentor_reference,matched_on,held_on,mode,initiated_by,purpose,outcome\n"
        "HX-1,VX-1,2019-02-10,2019-02-14,face_to_face,mentor,goals,met\n"
    )
    report = meetings_import(by=history.coordinator_a, scheme=history.scheme_a, data=text.encode())
    assert [p.message for p in report.problems] == ["Missing columns: duration_minutes."]


def test_a_blank_outcome_is_an_error_never_met(history):
    """A meeting whose outcome is blank is not taken as held: the error says what to write,
    and nothing is written."""
    assert rels(history, CLOSED).ok
    report = meets(
        history,
        "HX-1,VX-1,2019-02-10,2019-02-14,face_to_face,mentor,goals,50,did_not_attend\n"
        "HX-1,VX-1,2019-02-10,2019-02-21,phone,mentee,goals,30,\n",
    )
    assert [(p.line, p.column, p.message) for p in report.problems] == [
        (3, "outcome", BLANK_OUTCOME)
    ]
    assert BLANK_OUTCOME.startswith("The outcome is blank.")
    assert not Meeting.objects.filter(relationship__mentee__reference="HX-1").exists()


def test_a_file_without_the_outcome_column_is_refused(history):
    """The outcome column is required: a file without it names it as missing."""
    assert rels(history, CLOSED).ok
    text = (
        "mentee_reference,mentor_reference,matched_on,held_on,mode,initiated_by,purpose,"
        "duration_minutes\n"
        "HX-1,VX-1,2019-02-10,2019-02-14,face_to_face,mentor,goals,50\n"
    )
    report = meetings_import(by=history.coordinator_a, scheme=history.scheme_a, data=text.encode())
    assert [p.message for p in report.problems] == ["Missing columns: outcome."]


@pytest.mark.parametrize(
    ("closure_reason", "exit_reason"),
    [
        ("lost_contact", "other"),  # not "no response to contact attempts": the file said less
        ("mentee_withdrew", "other"),  # not "not interested": why they withdrew is not known
        ("moved_away", "moved_away"),
        ("custody", "returned_to_custody"),
    ],
)
def test_an_imported_closure_gives_the_referral_no_more_specific_reason_than_the_file(
    history, closure_reason, exit_reason
):
    """An unplanned closure imported as "lost contact" ends the person's referral with the
    reason "other", not the app's more specific "no response to contact attempts"; where
    the exit reason says just what the file said, it is used. The relationship keeps the
    file's own reason."""
    report = rels(history, f"HX-2,VX-1,2020-01-06,closed,2021-06-30,unplanned,{closure_reason}\n")
    assert report.ok, report.problems
    referral = Referral.objects.get(mentee__reference="HX-2")
    assert (referral.status, referral.exit_reason) == ("ended", exit_reason)
    relationship = Relationship.objects.get(mentee__reference="HX-2")
    assert relationship.closure_reason == closure_reason
