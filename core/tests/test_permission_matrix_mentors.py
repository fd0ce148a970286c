"""The permission matrix for the mentor pool: staff pages only (mentors get 403), files
scoped by scheme (404 outside), and every write for the scheme's coordinators alone
(managers get 403). Each write is also sent valid, for both schemes' coordinators: scheme
A's file is an active mentor's, scheme B's an applicant's. See ``core/tests/matrix.py``."""

from typing import Any

import pytest

from accounts.models import User
from conftest import World
from core.tests.matrix import LOGIN, Redirect, Row, Write, cases, day, row, run_case, valid
from schemes.models import (
    DBSCheck,
    Mentor,
    PrisonClearance,
    Reference,
    SupervisionSession,
    TrainingRecord,
    UnavailablePeriod,
)


def _mentor(world: World, user: User | None) -> Mentor:
    """The file a write is about: scheme B's for its coordinator, else scheme A's."""
    b = user is not None and user.pk == world.coordinator_b.pk
    return Mentor.objects.get(pk=(world.mentor_file_b if b else world.mentor_file_a).pk)


def _profile(world: World, user: User | None) -> dict[str, Any]:
    mentor = _mentor(world, user)
    return {
        "given_name": mentor.given_name,
        "family_name": "Newname",
        "kind": Mentor.Kind.PEER,
        "email": "mentor@example.org",
        "phone": "07700 900123",
        "home_area": "ls6",
        "travel_km": "15",
        "languages": "English, Polish",
        "interests": "football",
        "skills": "housing, CVs",
        "gender_self_description": "",
        "ethnicity_self_description": "",
    }


def _profile_saved(world: World, user: User | None, client) -> None:
    mentor = _mentor(world, user)
    assert (mentor.family_name, mentor.kind, mentor.home_area) == ("Newname", "peer", "LS6")
    assert mentor.languages == ["English", "Polish"]


def _next_status(world: World, user: User | None) -> dict[str, Any]:
    """The first step open to the file: active → paused (A), applied → in training (B)."""
    return {"to_status": _mentor(world, user).next_statuses[0].value, "on": day(0)}


def _status_moved(world: World, user: User | None, client) -> None:
    mentor = _mentor(world, user)
    assert mentor.status == (
        Mentor.Status.PAUSED if mentor.scheme_id == world.scheme_a.pk else Mentor.Status.IN_TRAINING
    )
    assert mentor.status_changes.filter(to_status=mentor.status, by=user).exists()


def _one_record(model: type, **filters: Any):
    """``done`` for a write that adds one record to the file."""

    def done(world: World, user: User | None, client) -> None:
        assert model.objects.filter(mentor=_mentor(world, user), **filters).count() == 1

    return done


def _availability_saved(world: World, user: User | None, client) -> None:
    mentor = _mentor(world, user)
    assert mentor.capacity == 3
    assert [(s.weekday, s.part) for s in mentor.slots.all()] == [(1, "evening"), (3, "morning")]


NEW_MENTOR = {"given_name": "Nia", "family_name": "Newcomer"}


def _new_mentor(world: World, user: User | None) -> dict[str, Any]:
    b = user is not None and user.pk == world.coordinator_b.pk
    return {
        "scheme": (world.scheme_b if b else world.scheme_a).pk,
        **NEW_MENTOR,
        "applied_on": day(-3),
        "kind": Mentor.Kind.VOLUNTEER,
        "email": "nia@example.org",
    }


def _mentor_created(world: World, user: User | None, client) -> None:
    mentor = Mentor.objects.get(**NEW_MENTOR)
    b = user.pk == world.coordinator_b.pk
    assert mentor.scheme_id == (world.scheme_b if b else world.scheme_a).pk
    assert mentor.status == Mentor.Status.APPLIED


WRITES: dict[str, Write] = {
    "mentors:edit": Write(audit=("mentor.updated",), data=_profile, done=_profile_saved),
    "mentors:status": Write(
        audit=("mentor.status_changed",), data=_next_status, done=_status_moved
    ),
    "mentors:dbs_add": Write(
        audit=("mentor.dbs_check_added",),
        data=lambda w, u: {
            "level": DBSCheck.Level.ENHANCED,
            "issued_on": day(-10),
            "expires_on": day(3 * 365),
        },
        done=_one_record(DBSCheck, level=DBSCheck.Level.ENHANCED, recorded_by__isnull=False),
    ),
    "mentors:clearance_add": Write(
        audit=("mentor.clearance_added",),
        data=lambda w, u: {
            "establishment": "HMP  Leeds",
            "issued_on": day(-10),
            "expires_on": day(365),
        },
        done=_one_record(PrisonClearance, establishment="HMP Leeds"),
    ),
    "mentors:training_add": Write(
        audit=("mentor.training_added",),
        data=lambda w, u: {"module": "Boundaries", "completed_on": day(-1)},
        done=_one_record(TrainingRecord, module="Boundaries"),
    ),
    "mentors:reference_add": Write(
        audit=("mentor.reference_added",),
        data=lambda w, u: {"referee": "Employer", "received_on": day(-2), "satisfactory": "yes"},
        done=_one_record(Reference, referee="Employer", satisfactory=True),
    ),
    "mentors:availability": Write(
        audit=("mentor.availability_set",),
        data=lambda w, u: {"slots": ["1-evening", "3-morning"], "capacity": "3"},
        done=_availability_saved,
    ),
    "mentors:unavailable_add": Write(
        audit=("mentor.unavailable_period_added",),
        data=lambda w, u: {"starts_on": day(20), "ends_on": day(30), "reason": "Vacation"},
        done=_one_record(UnavailablePeriod, reason="Vacation"),
    ),
    "mentors:supervision_add": Write(
        audit=("mentor.supervision_logged",),
        data=lambda w, u: {
            "held_on": day(-1),
            "notes": "Talked through boundaries.",
            "next_due_on": day(41),
        },
        done=_one_record(SupervisionSession, notes="Talked through boundaries."),
    ),
}


def mentor_rows() -> list[Row]:
    file_a = {"kwargs": lambda w: {"pk": w.mentor_file_a.pk}}
    file_b = {"kwargs": lambda w: {"pk": w.mentor_file_b.pk}}
    missing = {"kwargs": lambda w: {"pk": 999_999}}
    to_a = Redirect("mentors:detail", lambda w: {"pk": w.mentor_file_a.pk})
    to_b = Redirect("mentors:detail", lambda w: {"pk": w.mentor_file_b.pk})
    to_new = Redirect("mentors:detail", lambda w: {"pk": Mentor.objects.get(**NEW_MENTOR).pk})
    rows = [
        #                                              anon    mentor  coord A coord B manager
        row("mentors:list", "", [LOGIN, 403, 200, 200, 200]),
        row("mentors:new", "", [LOGIN, 403, 200, 200, 403]),
        row("mentors:new", "POST", [LOGIN, 403, 200, 200, 403], method="post"),
        valid(
            "mentors:new",
            "",
            [LOGIN, 403, to_new, to_new, 403],
            Write(audit=("mentor.created",), data=_new_mentor, done=_mentor_created),
        ),
        row("mentors:detail", "scheme A", [LOGIN, 403, 200, 404, 200], **file_a),
        row("mentors:detail", "scheme B", [LOGIN, 403, 404, 200, 200], **file_b),
        row("mentors:detail", "no such mentor", [LOGIN, 403, 404, 404, 404], **missing),
    ]
    for name, write in WRITES.items():
        rows += [
            row(name, "scheme A", [LOGIN, 403, 200, 404, 403], **file_a),
            row(name, "scheme A, POST", [LOGIN, 403, 200, 404, 403], method="post", **file_a),
            valid(name, "scheme A", [LOGIN, 403, to_a, 404, 403], write, **file_a),
            row(name, "scheme B", [LOGIN, 403, 404, 200, 403], **file_b),
            row(name, "scheme B, POST", [LOGIN, 403, 404, 200, 403], method="post", **file_b),
            valid(name, "scheme B", [LOGIN, 403, 404, to_b, 403], write, **file_b),
            row(name, "no such mentor", [LOGIN, 403, 404, 404, 404], **missing),
        ]
    return rows


ROWS: list[Row] = mentor_rows()


@pytest.mark.parametrize(**cases(ROWS))
def test_permission_matrix(shared_world: World, matrix_row: Row, role: str):
    run_case(shared_world, matrix_row, role)
