"""Writes to a mentor's file: the pipeline's rules, vetting dates, and an audit event for each."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from schemes.mentors import (
    availability_services,
    services,
    supervision_services,
    vetting_services,
)
from schemes.models import MENTOR_TRANSITIONS, DBSCheck, Mentor, PrisonClearance
from schemes.tests.factories import (
    DBSCheckFactory,
    MentorFactory,
    MentorStatusChangeFactory,
    days_ago,
    days_ahead,
)

TODAY = timezone.localdate


def _events(mentor: Mentor, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, target_id=str(mentor.pk)).order_by("pk"))


def _message(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


def _create(world, **overrides) -> Mentor:
    fields = {
        "by": world.coordinator_a,
        "scheme": world.scheme_a,
        "given_name": " Priya ",
        "family_name": "Shah",
        "applied_on": days_ago(40),
    }
    return services.mentor_create(**{**fields, **overrides})


def test_creating_a_mentor_starts_their_timeline_and_is_audited(world):
    """A new file is an application: status applied, dated, on the timeline, audited."""
    mentor = _create(world)
    assert mentor.given_name == "Priya"
    assert mentor.status == Mentor.Status.APPLIED
    assert mentor.status_since == mentor.applied_on == days_ago(40)
    step = mentor.status_changes.get()
    assert (step.from_status, step.to_status, step.changed_on) == ("", "applied", days_ago(40))
    assert step.by == world.coordinator_a
    (event,) = _events(mentor, "mentor.created")
    assert event.actor == world.coordinator_a and event.scheme == world.scheme_a


def test_lists_and_home_area_are_tidied_as_people_type_them(world):
    """Words are trimmed and kept once whatever their case; the postcode district is upper
    case without spaces."""
    mentor = _create(
        world,
        languages=["English", " english", "Polish ", ""],
        interests=["football", "Football"],
        home_area="ls 6",
    )
    assert mentor.languages == ["English", "Polish"]
    assert mentor.interests == ["football"]
    assert mentor.home_area == "LS6"


def test_a_home_area_must_look_like_a_postcode_district(world):
    """A full postcode or a town name is refused in plain words."""
    with pytest.raises(ValidationError, match="first half of a postcode"):
        _create(world, home_area="Leeds")


def test_an_application_cannot_be_dated_in_the_future(world):
    with pytest.raises(ValidationError, match="application date can't be in the future"):
        _create(world, applied_on=days_ahead(1))


def test_updating_a_mentor_audits_the_names_of_changed_fields_only(world):
    """The audit detail names fields, never their values; an unchanged save writes nothing."""
    mentor = MentorFactory(scheme=world.scheme_a, phone="")
    profile = {name: getattr(mentor, name) for name in services.PROFILE_FIELDS}
    services.mentor_update(mentor=mentor, by=world.coordinator_a, **profile)
    assert _events(mentor, "mentor.updated") == []
    profile.update(phone="0113 496 0000", gender_self_description="woman")
    services.mentor_update(mentor=mentor, by=world.coordinator_a, **profile)
    (event,) = _events(mentor, "mentor.updated")
    assert event.detail == {"fields": ["gender_self_description", "phone"]}
    mentor.refresh_from_db()
    assert mentor.phone == "0113 496 0000"


def test_the_pipeline_runs_from_application_to_active_with_dated_steps(world):
    """Each step is on the timeline and audited; the first active date gives the days from
    application to active."""
    mentor = _create(world, applied_on=days_ago(60))
    by = world.coordinator_a
    services.mentor_change_status(
        mentor=mentor, by=by, to_status="in_training", on=days_ago(50), note="Starts Monday"
    )
    services.mentor_change_status(mentor=mentor, by=by, to_status="vetting", on=days_ago(30))
    DBSCheckFactory(mentor=mentor, issued_on=days_ago(12))
    services.mentor_change_status(mentor=mentor, by=by, to_status="active", on=days_ago(10))
    mentor.refresh_from_db()
    assert mentor.status == Mentor.Status.ACTIVE
    assert mentor.first_active_on == mentor.status_since == days_ago(10)
    assert mentor.days_to_active == 50
    steps = list(mentor.status_changes.values_list("from_status", "to_status", "changed_on"))
    assert steps == [
        ("", "applied", days_ago(60)),
        ("applied", "in_training", days_ago(50)),
        ("in_training", "vetting", days_ago(30)),
        ("vetting", "active", days_ago(10)),
    ]
    assert mentor.status_changes.get(to_status="in_training").note == "Starts Monday"
    events = _events(mentor, "mentor.status_changed")
    assert [e.detail["to"] for e in events] == ["in_training", "vetting", "active"]
    assert events[-1].detail == {"from": "vetting", "to": "active", "on": str(days_ago(10))}


ALL_PAIRS = [(a, b) for a in Mentor.Status.values for b in Mentor.Status.values if a != b]


@pytest.mark.parametrize(("from_status", "to_status"), ALL_PAIRS)
def test_only_the_defined_transitions_are_allowed(world, from_status, to_status):
    """Every pair of statuses: allowed steps succeed (with a valid DBS), others are refused
    with the step named and nothing written."""
    active_before = from_status in ("active", "paused")
    mentor = MentorFactory(
        scheme=world.scheme_a,
        status=from_status,
        status_since=days_ago(100),
        first_active_on=days_ago(100) if active_before else None,
    )
    DBSCheckFactory(mentor=mentor)
    call = {"mentor": mentor, "by": world.coordinator_a, "to_status": to_status, "on": TODAY()}
    if to_status in MENTOR_TRANSITIONS[from_status]:
        services.mentor_change_status(**call)
        assert Mentor.objects.get(pk=mentor.pk).status == to_status
    else:
        with pytest.raises(ValidationError) as exc:
            services.mentor_change_status(**call)
        if from_status == "left":
            assert "applies again" in _message(exc)
        else:
            assert f"can't move to “{Mentor.Status(to_status).label}”" in _message(exc)
        assert Mentor.objects.get(pk=mentor.pk).status == from_status
        assert mentor.status_changes.count() == 0
        assert _events(mentor, "mentor.status_changed") == []


def test_the_refusal_says_where_the_mentor_can_go_instead(world):
    mentor = MentorFactory(scheme=world.scheme_a)
    with pytest.raises(ValidationError) as exc:
        services.mentor_change_status(
            mentor=mentor, by=world.coordinator_a, to_status="active", on=TODAY()
        )
    assert _message(exc) == (
        "A mentor who is “Applied” can't move to “Active”. "
        "From here they can move to: In training or Vetting or Left."
    )


def _vetting(world) -> Mentor:
    return MentorFactory(scheme=world.scheme_a, status="vetting", status_since=days_ago(20))


def test_becoming_active_needs_a_dbs_check(world):
    mentor = _vetting(world)
    with pytest.raises(ValidationError, match="need a DBS check valid on"):
        services.mentor_change_status(
            mentor=mentor, by=world.coordinator_a, to_status="active", on=TODAY()
        )


def test_becoming_active_is_refused_with_an_expired_dbs_check(world):
    mentor = _vetting(world)
    DBSCheckFactory(mentor=mentor, issued_on=days_ago(1200), expires_on=days_ago(3))
    with pytest.raises(ValidationError, match="DBS check expired on"):
        services.mentor_change_status(
            mentor=mentor, by=world.coordinator_a, to_status="active", on=TODAY()
        )


def test_a_dbs_check_is_not_valid_on_its_expiry_date(world):
    """The expiry date is the first day a check no longer counts."""
    mentor = _vetting(world)
    DBSCheckFactory(mentor=mentor, issued_on=days_ago(1000), expires_on=TODAY())
    with pytest.raises(ValidationError, match="expired on"):
        services.mentor_change_status(
            mentor=mentor, by=world.coordinator_a, to_status="active", on=TODAY()
        )
    services.mentor_change_status(
        mentor=mentor, by=world.coordinator_a, to_status="active", on=days_ago(1)
    )
    assert Mentor.objects.get(pk=mentor.pk).status == "active"


def test_returning_from_a_pause_keeps_the_first_active_date(world):
    mentor = MentorFactory(scheme=world.scheme_a, active=True)
    first = mentor.first_active_on
    services.mentor_change_status(
        mentor=mentor, by=world.coordinator_a, to_status="paused", on=days_ago(5)
    )
    services.mentor_change_status(
        mentor=mentor, by=world.coordinator_a, to_status="active", on=TODAY()
    )
    mentor.refresh_from_db()
    assert mentor.first_active_on == first and mentor.status_since == TODAY()


def test_a_change_cannot_be_dated_before_the_current_status_or_in_the_future(world):
    mentor = _create(world, applied_on=days_ago(10))
    with pytest.raises(ValidationError, match="can't be dated before their current status"):
        services.mentor_change_status(
            mentor=mentor, by=world.coordinator_a, to_status="vetting", on=days_ago(11)
        )
    with pytest.raises(ValidationError, match="can't be in the future"):
        services.mentor_change_status(
            mentor=mentor, by=world.coordinator_a, to_status="vetting", on=days_ahead(1)
        )


RECORD_WRITES = [
    (
        "mentor_dbs_check_add",
        {"level": "enhanced", "issued_on": days_ago(5), "expires_on": days_ahead(1090)},
        "mentor.dbs_check_added",
    ),
    (
        "mentor_clearance_add",
        {"establishment": "HMP  Leeds", "issued_on": days_ago(5), "expires_on": days_ahead(360)},
        "mentor.clearance_added",
    ),
    (
        "mentor_training_add",
        {"module": "Boundaries", "completed_on": days_ago(2)},
        "mentor.training_added",
    ),
    (
        "mentor_reference_add",
        {"referee": "Employer", "received_on": days_ago(2), "satisfactory": True},
        "mentor.reference_added",
    ),
    (
        "mentor_unavailable_period_add",
        {"starts_on": days_ahead(10), "ends_on": days_ahead(70), "reason": "Summer vacation"},
        "mentor.unavailable_period_added",
    ),
    (
        "mentor_supervision_log",
        {"held_on": days_ago(1), "notes": "Going well.", "next_due_on": days_ahead(41)},
        "mentor.supervision_logged",
    ),
    (
        "mentor_availability_set",
        {"slots": [(1, "evening"), (5, "morning")], "capacity": 3},
        "mentor.availability_set",
    ),
]


RECORD_SERVICES = (vetting_services, availability_services, supervision_services)


def _record_service(name):
    """A write to a mentor's records by name, from the module of its topic."""
    (module,) = [m for m in RECORD_SERVICES if hasattr(m, name)]
    return getattr(module, name)


@pytest.mark.parametrize(("service", "kwargs", "action"), RECORD_WRITES)
def test_every_record_write_is_audited_against_the_mentor_file(world, service, kwargs, action):
    """The audit trail of a mentor's file shows everything recorded on it, by whom, and
    holds ids or codes, never free text such as supervision notes."""
    mentor = MentorFactory(scheme=world.scheme_a)
    _record_service(service)(mentor=mentor, by=world.coordinator_a, **kwargs)
    (event,) = _events(mentor, action)
    assert event.actor == world.coordinator_a and event.scheme == world.scheme_a
    assert "Going well" not in str(event.detail) and "vacation" not in str(event.detail)


@pytest.mark.parametrize("service", ["mentor_dbs_check_add", "mentor_clearance_add"])
def test_vetting_must_expire_after_it_was_issued(world, service):
    mentor = MentorFactory(scheme=world.scheme_a)
    extra = {"level": "basic"} if service == "mentor_dbs_check_add" else {"establishment": "X"}
    with pytest.raises(ValidationError, match="expiry date must be after the issue date"):
        _record_service(service)(
            mentor=mentor,
            by=world.coordinator_a,
            issued_on=days_ago(3),
            expires_on=days_ago(3),
            **extra,
        )


@pytest.mark.parametrize("model", [DBSCheck, PrisonClearance])
def test_the_database_refuses_vetting_that_expires_before_issue(world, model):
    """The rule holds even for code that skips the services."""
    mentor = MentorFactory(scheme=world.scheme_a)
    extra = {"level": "basic"} if model is DBSCheck else {"establishment": "X"}
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(mentor=mentor, issued_on=days_ago(1), expires_on=days_ago(2), **extra)


def test_the_database_refuses_a_capacity_of_zero_and_an_active_mentor_never_activated(world):
    mentor = MentorFactory(scheme=world.scheme_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Mentor.objects.filter(pk=mentor.pk).update(capacity=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Mentor.objects.filter(pk=mentor.pk).update(status="active")
    with pytest.raises(IntegrityError), transaction.atomic():
        MentorStatusChangeFactory(mentor=mentor, from_status="applied", to_status="applied")


def test_availability_replaces_the_weekly_slots_and_sets_capacity(world):
    mentor = MentorFactory(scheme=world.scheme_a)
    availability_services.mentor_availability_set(
        mentor=mentor, by=world.coordinator_a, slots=[(0, "morning"), (2, "evening")], capacity=2
    )
    availability_services.mentor_availability_set(
        mentor=mentor, by=world.coordinator_a, slots=[(2, "evening"), (4, "afternoon")], capacity=3
    )
    assert set(mentor.slots.values_list("weekday", "part")) == {(2, "evening"), (4, "afternoon")}
    assert Mentor.objects.get(pk=mentor.pk).capacity == 3
    with pytest.raises(ValidationError, match="at least one mentee"):
        availability_services.mentor_availability_set(
            mentor=mentor, by=world.coordinator_a, slots=[], capacity=0
        )


def test_an_unavailable_period_cannot_end_before_it_starts(world):
    mentor = MentorFactory(scheme=world.scheme_a)
    with pytest.raises(ValidationError, match="last day can't be before the first day"):
        availability_services.mentor_unavailable_period_add(
            mentor=mentor, by=world.coordinator_a, starts_on=days_ahead(5), ends_on=days_ahead(4)
        )


def test_supervision_needs_notes_and_a_next_date_after_the_session(world):
    mentor = MentorFactory(scheme=world.scheme_a)
    log = supervision_services.mentor_supervision_log
    with pytest.raises(ValidationError, match="Write a few words"):
        log(mentor=mentor, by=world.coordinator_a, held_on=days_ago(1), notes="  ")
    with pytest.raises(ValidationError, match="must be due after this one"):
        log(
            mentor=mentor,
            by=world.coordinator_a,
            held_on=days_ago(1),
            notes="ok",
            next_due_on=days_ago(1),
        )


def test_a_basic_dbs_check_does_not_make_a_mentor_active_or_matchable(world):
    """Mentoring people on bail, probation or leaving prison needs an enhanced check."""
    from schemes.mentors.selectors import mentor_matchability, mentors_matchable
    from schemes.models import Mentor

    mentor = _vetting(world)
    DBSCheckFactory(mentor=mentor, level="basic", issued_on=days_ago(10), expires_on=days_ago(-700))
    with pytest.raises(ValidationError, match="below enhanced level"):
        services.mentor_change_status(
            mentor=mentor, by=world.coordinator_a, to_status="active", on=TODAY()
        )
    Mentor.objects.filter(pk=mentor.pk).update(status="active", first_active_on=days_ago(5))
    mentor.refresh_from_db()
    reasons = mentor_matchability(mentor=mentor, on=TODAY()).reasons
    assert "needs an enhanced check" in " ".join(reasons)
    assert not mentors_matchable(Mentor.objects.filter(pk=mentor.pk), on=TODAY()).exists()


def test_a_coordinator_who_also_mentors_cannot_vet_or_supervise_themselves(world):
    """Someone who coordinates a scheme and mentors in it cannot write to their own file."""
    from django.urls import reverse

    from accounts.models import Membership
    from conftest import client_for
    from schemes.tests.factories import MentorFactory

    own = MentorFactory(scheme=world.scheme_a, user=world.coordinator_a)
    Membership.objects.create(user=world.coordinator_a, role="mentor", scheme=world.scheme_a)
    response = client_for(world.coordinator_a).get(reverse("mentors:dbs_add", args=[own.pk]))
    assert response.status_code == 403


def test_no_service_lets_anyone_write_their_own_file(world):
    """Nobody vets, supervises or promotes themselves: every write to a mentor's file refuses
    the person whose file it is, whoever calls the service and whatever roles they hold. The
    file is left as it was and nothing is audited."""
    from django.core.exceptions import PermissionDenied

    own = world.mentor_file_a  # mentor_a's own file in scheme A, active and vetted
    by = world.mentor_a
    profile = {name: getattr(own, name) for name in services.PROFILE_FIELDS}
    writes = {
        "mentor_update": lambda: services.mentor_update(
            mentor=own, by=by, **{**profile, "phone": "0113 496 0001"}
        ),
        "mentor_change_status": lambda: services.mentor_change_status(
            mentor=own, by=by, to_status="paused", on=TODAY()
        ),
        "mentor_dbs_check_add": lambda: vetting_services.mentor_dbs_check_add(
            mentor=own, by=by, level="enhanced", issued_on=TODAY(), expires_on=days_ahead(900)
        ),
        "mentor_clearance_add": lambda: vetting_services.mentor_clearance_add(
            mentor=own,
            by=by,
            establishment="HMP Leeds",
            issued_on=TODAY(),
            expires_on=days_ahead(300),
        ),
        "mentor_training_add": lambda: vetting_services.mentor_training_add(
            mentor=own, by=by, module="Boundaries", completed_on=TODAY()
        ),
        "mentor_reference_add": lambda: vetting_services.mentor_reference_add(
            mentor=own, by=by, referee="Myself", received_on=TODAY(), satisfactory=True
        ),
        "mentor_availability_set": lambda: availability_services.mentor_availability_set(
            mentor=own, by=by, slots=[(0, "morning")], capacity=5
        ),
        "mentor_unavailable_period_add": lambda: (
            availability_services.mentor_unavailable_period_add(
                mentor=own, by=by, starts_on=days_ahead(1), ends_on=days_ahead(10)
            )
        ),
        "mentor_supervision_log": lambda: supervision_services.mentor_supervision_log(
            mentor=own, by=by, held_on=TODAY(), notes="All fine, says I."
        ),
    }
    records = ("dbs_checks", "clearances", "training", "references", "slots")
    records += ("unavailable_periods", "supervisions", "status_changes")

    def snapshot() -> tuple:
        fresh = Mentor.objects.get(pk=own.pk)
        counts = tuple(getattr(fresh, name).count() for name in records)
        return Mentor.objects.values().get(pk=own.pk), counts

    before = snapshot()
    for name, write in writes.items():
        with pytest.raises(PermissionDenied):
            write()
        assert snapshot() == before, name
    assert not AuditEvent.objects.filter(target_id=str(own.pk)).exists()


def test_the_same_services_accept_the_files_coordinator(world):
    """The rule is about whose file it is, not about the service: the scheme's coordinator
    logs supervision for the same mentor."""
    session = supervision_services.mentor_supervision_log(
        mentor=world.mentor_file_a, by=world.coordinator_a, held_on=TODAY(), notes="Going well."
    )
    assert session.by == world.coordinator_a
