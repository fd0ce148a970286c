"""One path for a mentor's status: a pool imported from a scheme's spreadsheet and the same
pool moved through the app write the same timeline rows and the same audit events, and the
batch form keeps the pipeline's rules."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from schemes.mentors import services
from schemes.mentors.imports import mentors_import
from schemes.mentors.transitions import MentorStep, mentors_transition_many
from schemes.models import Mentor, MentorStatusChange
from schemes.tests.factories import DBSCheckFactory, MentorFactory, days_ago, days_ahead

pytestmark = pytest.mark.django_db


def _history(mentor: Mentor) -> dict:
    """What a mentor's file says about their pipeline, without ids, notes or the creation
    event (``mentor.created`` or ``mentor.imported``, different by construction)."""
    mentor.refresh_from_db()
    events = AuditEvent.objects.filter(
        target_type="schemes.mentor", target_id=str(mentor.pk), action="mentor.status_changed"
    ).order_by("pk")
    return {
        "status": (mentor.status, mentor.status_since, mentor.first_active_on),
        "timeline": list(
            MentorStatusChange.objects.filter(mentor=mentor)
            .order_by("pk")
            .values_list("from_status", "to_status", "changed_on", "by")
        ),
        "events": [(e.actor_id, e.scheme_id, e.detail) for e in events],
    }


def _applied(world, reference: str) -> Mentor:
    return services.mentor_create(
        by=world.coordinator_a,
        scheme=world.scheme_a,
        given_name="Web",
        family_name=reference,
        applied_on=days_ago(90),
    )


def _import(world, rows: str):
    report = mentors_import(
        by=world.coordinator_a,
        scheme=world.scheme_a,
        data=("reference,given_name,family_name,applied_on,status,status_since\n" + rows).encode(),
    )
    assert report.ok, report.problems
    return report


@pytest.mark.parametrize("status", ["in_training", "vetting", "left"])
def test_an_imported_step_writes_what_the_app_writes(world, status):
    """A step the pipeline takes from "applied" in one go leaves the same timeline and audit
    event whether a coordinator took it in Tandem or it arrived in a spreadsheet."""
    web = _applied(world, "W-1")
    services.mentor_change_status(
        mentor=web, by=world.coordinator_a, to_status=status, on=days_ago(30)
    )
    _import(world, f"I-1,Imp,Orted,{days_ago(90)},{status},{days_ago(30)}\n")
    imported = Mentor.objects.get(reference="I-1")
    assert _history(imported) == _history(web)
    assert len(_history(web)["events"]) == 1


def test_an_import_of_someone_already_active_is_one_recorded_jump(world):
    """The records show where they are, not how they got there: one row from "applied",
    saying so, audited like any step, with the first active date the file gives."""
    report = mentors_import(
        by=world.coordinator_a,
        scheme=world.scheme_a,
        data=(
            "reference,given_name,family_name,applied_on,status,first_active_on,dbs_level,"
            "dbs_issued_on,dbs_expires_on\n"
            f"I-2,Pat,Lee,{days_ago(300)},active,{days_ago(200)},enhanced,{days_ago(250)},"
            f"{days_ahead(400)}\n"
        ).encode(),
    )
    assert (report.ok, report.created) == (True, 1), report.problems
    pat = Mentor.objects.get(reference="I-2")
    history = _history(pat)
    assert history["status"] == ("active", days_ago(200), days_ago(200))
    assert [row[:3] for row in history["timeline"]] == [
        ("", "applied", days_ago(300)),
        ("applied", "active", days_ago(200)),
    ]
    assert pat.status_changes.last().note == "Imported: steps in between were not recorded"
    assert [e[2] for e in history["events"]] == [
        {"from": "applied", "to": "active", "on": str(days_ago(200))}
    ]


def test_the_batch_keeps_the_pipelines_order_and_dates(world):
    """Refused as the app refuses, in the same words, before anything is written."""
    mentor = MentorFactory(scheme=world.scheme_a, status="vetting", status_since=days_ago(20))
    cases = [
        (MentorStep(mentor, "paused", days_ago(1)), "cannot move to “Paused”"),
        (MentorStep(mentor, "in_training", days_ahead(1)), "cannot be in the future"),
        (MentorStep(mentor, "in_training", days_ago(21)), "before their current status began"),
        (MentorStep(mentor, "active", days_ago(1)), "need a DBS check valid on"),
    ]
    for step, words in cases:
        with pytest.raises(ValidationError, match=words):
            mentors_transition_many(by=world.coordinator_a, steps=[step])
    assert Mentor.objects.get(pk=mentor.pk).status == "vetting"
    assert not mentor.status_changes.exists()
    with pytest.raises(ValueError, match="No imported gap"):
        mentors_transition_many(
            by=world.coordinator_a, steps=[MentorStep(mentor, "active", days_ago(1), gap=True)]
        )


def test_the_batch_takes_a_whole_history_in_order(world):
    """Several steps of several mentors in one batch: each checked from where the one before
    left it, the DBS check read once, the first active date kept through a pause."""
    one = MentorFactory(scheme=world.scheme_a, applied_on=days_ago(100))
    two = MentorFactory(scheme=world.scheme_a, applied_on=days_ago(100))
    DBSCheckFactory(mentor=one, issued_on=days_ago(70))
    steps = [
        MentorStep(one, "applied", days_ago(100), first=True),
        MentorStep(two, "applied", days_ago(100), first=True),
        MentorStep(one, "vetting", days_ago(80)),
        MentorStep(two, "left", days_ago(80)),
        MentorStep(one, "active", days_ago(60)),
        MentorStep(one, "paused", days_ago(30)),
        MentorStep(one, "active", days_ago(10)),
    ]
    mentors_transition_many(by=world.coordinator_a, steps=steps)
    one.refresh_from_db()
    assert (one.status, one.status_since, one.first_active_on) == (
        "active",
        days_ago(10),
        days_ago(60),
    )
    assert Mentor.objects.get(pk=two.pk).status == "left"
    assert list(one.status_changes.values_list("to_status", flat=True)) == [
        "applied",
        "vetting",
        "active",
        "paused",
        "active",
    ]
    events = AuditEvent.objects.filter(action="mentor.status_changed")
    assert events.count() == 5  # every step but the two applications
